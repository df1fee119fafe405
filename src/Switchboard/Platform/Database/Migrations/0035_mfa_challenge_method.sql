-- The session a second factor opens keeps the first step's method (issue 12): a directory (LDAP) sign-in whose second
-- factor was given is an 'ldap' session like one without a second factor, not a 'password' one. The challenge between
-- the two steps carries it. Only password-like first steps lead to a challenge: single sign-on answers to the
-- tenant's identity provider, and a passkey is a second factor in itself.
alter table mfa_challenges
  add column sign_in_method text not null default 'password' check (sign_in_method in ('password', 'ldap'));
