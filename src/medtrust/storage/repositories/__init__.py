"""Repositories: map rows to domain objects. Tenant repositories require an organisation id
and scope every query by it, so cross-tenant reads are impossible by construction."""
