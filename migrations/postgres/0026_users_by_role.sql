-- A transition reads the enabled accounts it notifies along with its
-- proposal's lock: every account of an all-region role (verifier, approver,
-- treasury) and the pemda accounts of the proposal's region. Without an
-- index every transition read every account, which on a national
-- deployment (some 550 regions, each with its officers) is thousands of
-- rows a transition; by role and region it reads the few it notifies.
CREATE INDEX users_role_region ON users (role, region_code) WHERE NOT disabled;
