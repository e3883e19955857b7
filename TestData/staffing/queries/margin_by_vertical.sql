-- Margin by vertical: every placement's agreed rates, by the vertical of the client behind its
-- job order, with the margin (bill - pay) / bill and how many placements are still running.
SELECT c.vertical,
       COUNT(*) AS placements,
       SUM(CASE WHEN p.end_date IS NULL THEN 1 ELSE 0 END) AS active,
       COUNT(DISTINCT c.client_id) AS clients,
       ROUND(AVG(CAST(p.bill_rate AS DOUBLE)), 2) AS avg_bill_rate,
       ROUND(AVG(CAST(p.pay_rate AS DOUBLE)), 2) AS avg_pay_rate,
       ROUND((SUM(CAST(p.bill_rate AS DOUBLE)) - SUM(CAST(p.pay_rate AS DOUBLE)))
             / SUM(CAST(p.bill_rate AS DOUBLE)), 4) AS margin
FROM placements p
JOIN job_orders j ON j.job_order_id = p.job_order_id
JOIN clients c ON c.client_id = j.client_id
GROUP BY c.vertical
ORDER BY c.vertical;
