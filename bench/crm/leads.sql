-- :n generated leads for tenant :tenant (psql variables), spread over the tenant's agents and manager.
with names as (
  select array['James','Mary','Robert','Patricia','John','Jennifer','Michael','Linda','David','Elizabeth','William','Barbara',
               'Richard','Susan','Joseph','Jessica','Thomas','Sarah','Charles','Karen','Christopher','Lisa','Daniel','Nancy',
               'Matthew','Betty','Anthony','Margaret','Mark','Sandra','Priya','Wei','Aisha','Mateo','Yuki','Olga','Kwame','Ingrid'] as firsts,
         array['Smith','Johnson','Williams','Brown','Jones','Garcia','Miller','Davis','Rodriguez','Martinez','Hernandez','Lopez',
               'Gonzalez','Wilson','Anderson','Thomas','Taylor','Moore','Jackson','Martin','Lee','Perez','Thompson','White',
               'Harris','Sanchez','Clark','Ramirez','Lewis','Robinson','Okafor','Nguyen','Kowalski','Lindqvist','Haddad','Rossi'] as lasts,
         array['Northwind','Contoso','Fabrikam','Globex','Initech','Umbrella','Stark','Wayne','Acme','Hooli','Vandelay','Soylent',
               'Tyrell','Cyberdyne','Wonka','Gringotts','Oceanic','Monarch','Pied Piper','Dunder Mifflin'] as companies,
         array['Plumbing','Logistics','Dental','Roofing','Insurance','Realty','Solar','Analytics','Bakery','Fitness','Legal','HVAC'] as trades,
         (select array_agg(user_id order by user_id) from tenant_memberships where tenant_id = :'tenant'::uuid and role in ('agent', 'manager')) as owners
)
insert into leads (tenant_id, id, first_name, last_name, company, title, email, phone, status, source, owner_id, created_at, updated_at)
select :'tenant'::uuid, gen_random_uuid(), f, l, c, 'Owner',
       lower(f || '.' || l || g || '@' || replace(c, ' ', '') || '.example'),
       '+1' || (201 + g % 700)::text || lpad((g % 10000000)::text, 7, '0'),
       (array['new','new','new','contacted','contacted','qualified','unqualified','converted'])[1 + g % 8],
       'import', owners[1 + g % cardinality(owners)],
       now() - (g % 100000) * interval '5 minutes', now()
from names, generate_series(1, :n) g,
     lateral (select firsts[1 + (g * 7) % cardinality(firsts)] as f,
                     lasts[1 + (g * 13) % cardinality(lasts)] as l,
                     companies[1 + (g * 3) % cardinality(companies)] || ' ' || trades[1 + (g * 5) % cardinality(trades)] as c) x;
analyze leads;
