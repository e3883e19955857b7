-- Cold leads: candidates the recruiters have called five times or more but never placed,
-- with how often and when they were last called; the most-called first.
SELECT c.candidate_id,
       c.first_name,
       c.last_name,
       c.phone,
       c.city,
       COUNT(*) AS calls,
       CAST(MAX(l.called_at) AS DATE) AS last_called
FROM candidates c
JOIN call_log l ON l.candidate_id = c.candidate_id
WHERE NOT EXISTS (SELECT 1 FROM placements p WHERE p.candidate_id = c.candidate_id)
GROUP BY c.candidate_id, c.first_name, c.last_name, c.phone, c.city
HAVING COUNT(*) >= 5
ORDER BY calls DESC, c.candidate_id;
