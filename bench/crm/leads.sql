-- :n generated leads for tenant :tenant (psql variables), spread over the tenant's agents and manager.
--
-- Realistic enough for a search benchmark: thousands of distinct first names, last names and companies, with
-- a Zipf-like skew but no degenerate head. Each list starts with real, common names (so "john smith" exists,
-- as it would) followed by generated syllable names ("Dorvané", "Kalimer"); an entry is drawn as
-- 1 + floor(size * random()^k), so the first entry is the most frequent and frequency falls off smoothly:
--   first names: 40 real + 3,960 generated, k = 2  -> the top name is ~1.6% of leads, the 40 real ones ~10%
--   last names:  40 real + 19,960 generated, k = 2 -> the top name is ~0.7%, the 40 real ones ~4.5%
--   companies:   30,000 generated ("Velmora Roofing", "Tarsiq Analytics Ltd"), k = 1.5 -> the top one ~0.1%
-- Emails follow the common corporate and personal patterns; phones are random North American numbers;
-- created_at spans two years and rows are inserted oldest first; updated_at falls between created_at and now.
-- 40% of the leads came in four imports of about 100,000 (1, 91, 181 and 271 days ago): an import gives all its
-- records one created_at and updated_at, so the newest leads, the default list's first page, are one such group.
-- setseed makes the data the same on every run.
select setseed(0.4242);

create temporary table bench_syllables as
select array['ka','ri','lo','ma','der','son','el','ta','vin','mar','sha','ro','ben','li','an','to','gar','ci','no','la',
             'vel','mo','ra','tin','ke','lis','dor','va','ne','sa','quin','bel','ha','jo','ru','mi','tor','fen','da','zo',
             'cal','e','i','ya','wen','phil','os','tra','gan','ber','um','lin','ko','sel','ar','dra','pe','ly','nor','is','brek'] as s;

-- name(i): two or three syllables picked from i, capitalised. Numbered tables (i, name): joined, not indexed
-- into large arrays, which PostgreSQL would detoast for every row.
create temporary table bench_first_names as
select i, name from unnest(array['James','Mary','John','Patricia','Robert','Jennifer','Michael','Linda','David','Elizabeth','William','Barbara',
             'Richard','Susan','Joseph','Jessica','Thomas','Sarah','Charles','Karen','Daniel','Nancy','Matthew','Lisa',
             'Anthony','Margaret','Mark','Sandra','Priya','Wei','Aisha','Mateo','Yuki','Olga','Kwame','Ingrid','Sofia','Luca',
             'Fatima','Hiroshi']
       || array(select initcap(s[1 + i % 61] || s[1 + (i / 61) % 61] || case when i % 3 = 0 then s[1 + (i * 7) % 61] else '' end)
                from bench_syllables, generate_series(1, 3960) i)) with ordinality as t(name, i);

create temporary table bench_last_names as
select i, name from unnest(array['Smith','Johnson','Williams','Brown','Jones','Garcia','Miller','Davis','Rodriguez','Martinez','Hernandez','Lopez',
             'Gonzalez','Wilson','Anderson','Taylor','Moore','Jackson','Martin','Lee','Perez','Thompson','White','Harris',
             'Sanchez','Clark','Ramirez','Lewis','Robinson','Okafor','Nguyen','Kowalski','Lindqvist','Haddad','Rossi','Novak',
             'Schmidt','Dubois','Tanaka','Marlowe']
       || array(select initcap(s[1 + (i * 13) % 61] || s[1 + (i / 7) % 61] || case when i % 2 = 0 then s[1 + (i / 427) % 61] else 'son' end)
                from bench_syllables, generate_series(1, 19960) i)) with ordinality as t(name, i);

create temporary table bench_companies as
select i, initcap(s[1 + (i * 17) % 61] || s[1 + (i / 11) % 61] || case when i % 4 = 0 then s[1 + (i / 671) % 61] else '' end)
          || ' ' || (array['Plumbing','Logistics','Dental','Roofing','Insurance','Realty','Solar','Analytics','Bakery',
                           'Fitness','Legal','HVAC','Consulting','Foods','Motors','Labs','Media','Health'])[1 + (i / 3) % 18]
          || (array['','',' Ltd',' Inc',' Group',' & Co'])[1 + i % 6] as name
from bench_syllables, generate_series(1, 30000) i;
analyze bench_first_names, bench_last_names, bench_companies;

with owners as (
  select array_agg(user_id order by user_id) as a from tenant_memberships where tenant_id = :'tenant'::uuid and role in ('agent', 'manager')
), draws as (
  select g,
         1 + floor(4000 * random() ^ 2)::int as fi, 1 + floor(20000 * random() ^ 2)::int as li, 1 + floor(30000 * random() ^ 1.5)::int as ci,
         random() as r_email, random() as r_phone, random() as r_status, random() as r_created, random() as r_updated,
         owners.a[1 + g % cardinality(owners.a)] as owner
  from owners, generate_series(1, :n::bigint) g
), shaped as (
  select d.*, f.name as f, l.name as l, c.name as c, lower(regexp_replace(c.name, '[^A-Za-z]', '', 'g')) || '.example' as domain
  from draws d join bench_first_names f on f.i = d.fi join bench_last_names l on l.i = d.li join bench_companies c on c.i = d.ci
)
insert into leads (tenant_id, id, first_name, last_name, company, title, email, phone, status, source, owner_id, created_at, updated_at)
select :'tenant'::uuid, gen_random_uuid(), f, l, c, 'Owner',
       case when r_email < 0.05 then null
            when r_email < 0.45 then lower(f || '.' || l) || '@' || domain
            when r_email < 0.60 then lower(left(f, 1) || l) || '@' || domain
            when r_email < 0.70 then lower(f) || '@' || domain
            when r_email < 0.85 then lower(f || '.' || l) || (g % 100)::text || '@gmail.example'
            else lower(f || '_' || left(l, 1)) || (g % 1000)::text || '@outlook.example' end,
       case when r_phone < 0.08 then null
            else '+1' || (201 + floor(r_phone * 1000000)::int % 780)::text || (200 + (g * 7919) % 800)::text
                      || lpad(((g * 104729 + floor(r_phone * 10000)::int) % 10000)::text, 4, '0') end,
       (array['new','new','new','contacted','contacted','qualified','unqualified','converted'])[1 + floor(r_status * 8)::int],
       'import', owner,
       created, case when imported then created else now() - r_created * r_updated * interval '730 days' end
from (select *, g % 10 < 4 as imported,
             case when g % 10 < 4 then date_trunc('minute', now()) - (1 + (g % 4) * 90) * interval '1 day'
                  else now() - r_created * interval '730 days' end as created
      from shaped) s
order by created; -- oldest first, as leads accumulate: the table's physical order follows created_at
-- Vacuumed as well as analyzed: the steady state autovacuum leaves a table in (visibility map set, trigram GIN
-- pending lists merged). A run measured right after the load, with autovacuum still busy on the fresh million
-- rows, gave a lead-list p95 of 335 ms; the same requests on the same data once vacuumed, about 30 ms.
vacuum analyze leads;
