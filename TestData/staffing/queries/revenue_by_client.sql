-- Revenue by client: approved timesheets, through their placements and job orders, summed per
-- client, with the profit margin (bill - pay) / bill. The 25 biggest clients by revenue.
SELECT c.client_id,
       c.company,
       c.vertical,
       COUNT(*) AS timesheets,
       ROUND(SUM(CAST(t.bill_total AS DOUBLE)), 2) AS revenue,
       ROUND(SUM(CAST(t.pay_total AS DOUBLE)), 2) AS cost,
       ROUND((SUM(CAST(t.bill_total AS DOUBLE)) - SUM(CAST(t.pay_total AS DOUBLE)))
             / SUM(CAST(t.bill_total AS DOUBLE)), 4) AS margin
FROM timesheets t
JOIN placements p ON p.placement_id = t.placement_id
JOIN job_orders j ON j.job_order_id = p.job_order_id
JOIN clients c ON c.client_id = j.client_id
WHERE t.approved = TRUE
GROUP BY c.client_id, c.company, c.vertical
ORDER BY revenue DESC, c.client_id
LIMIT 25;
