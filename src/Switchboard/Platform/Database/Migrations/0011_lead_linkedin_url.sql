-- A lead's LinkedIn profile: an https URL (the application checks its shape; the database its scheme and length).
alter table leads add column linkedin_url text check (linkedin_url is null or (linkedin_url like 'https://%' and length(linkedin_url) <= 500));
