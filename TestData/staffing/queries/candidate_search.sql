-- Candidate search: people for a data role in New York with both Python and SQL among their
-- skills, at least three years of experience and available by the end of March 2026; the most
-- experienced first, then by id (65 match at scale 1, seed 42; LIMIT keeps 50). Skills are a
-- ';'-separated list, so each is matched between separators (a plain LIKE '%SQL%' would also
-- match 'PostgreSQL').
SELECT candidate_id,
       first_name,
       last_name,
       email,
       zip,
       skills,
       available_from,
       years_experience,
       CAST(desired_rate AS DOUBLE) AS desired_rate
FROM candidates
WHERE ';' || skills || ';' LIKE '%;Python;%'
  AND ';' || skills || ';' LIKE '%;SQL;%'
  AND city = 'New York'
  AND available_from <= DATE '2026-03-31'
  AND years_experience >= 3
ORDER BY years_experience DESC, candidate_id
LIMIT 50;
