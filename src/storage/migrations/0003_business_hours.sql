-- Seconds between two instants that fall inside a weekly opening schedule, in a time zone:
-- business-hours FRT. `open_days` are ISO weekdays (1 = Monday … 7 = Sunday); the day is open
-- from `opens` to `closes` local time (one interval a day). Written in SQL so that both engines
-- compute it where the tickets are.
CREATE FUNCTION sada_business_seconds(
  started timestamptz, ended timestamptz, tz text, open_days integer[], opens time, closes time
) RETURNS double precision
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN ended IS NULL OR started IS NULL OR ended <= started THEN
    CASE WHEN ended IS NOT NULL AND started IS NOT NULL THEN 0::double precision END
  ELSE coalesce(sum(
    greatest(0, extract(epoch FROM
      least(ended, (d + closes) AT TIME ZONE tz) - greatest(started, (d + opens) AT TIME ZONE tz)
    ))
  ), 0)::double precision END
  FROM generate_series(
    (started AT TIME ZONE tz)::date,
    (ended AT TIME ZONE tz)::date,
    interval '1 day'
  ) AS g(day)
  CROSS JOIN LATERAL (SELECT g.day::date AS d) AS local_day
  WHERE extract(isodow FROM d)::integer = ANY(open_days)
$$;
