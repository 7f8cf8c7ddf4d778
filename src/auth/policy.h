/* Who may do what: roles (DESIGN 9) applied to records. The one place these rules live;
 * every write path (API, import, web) asks here. */
#ifndef BX_POLICY_H
#define BX_POLICY_H

#include <jansson.h>
#include <stdbool.h>
#include "util/listing.h"
#include "store/store.h"

enum bx_role { BX_ROLE_ANONYMOUS, BX_ROLE_ADMIN, BX_ROLE_EDITOR, BX_ROLE_NATIONAL,
               BX_ROLE_CONTRIBUTOR, BX_ROLE_NODE };

struct bx_principal {
	enum bx_role role;
	char name[65];
	char country[3];          /* national users */
	char instruments[512];    /* national users bound to instruments: comma list, else "" */
};

/* Parses a role name; BX_EINVAL for an unknown one. */
int bx_role_parse(const char *name, enum bx_role *role);
const char *bx_role_name(enum bx_role role);
/* Fills a principal from a stored user. */
void bx_principal_from_user(struct bx_principal *principal, const struct bx_user *user);

/* May the principal write `record` (the new content), replacing `current` (NULL when
 * new)? Returns 0, BX_EAUTH for anonymous, or BX_EPERM with the reason in reason. */
int bx_policy_check_write(const struct bx_principal *principal, const json_t *record,
                          const json_t *current, char *reason, size_t reason_size);
/* The status a record gets when the writer leaves it out. */
const char *bx_policy_default_status(const struct bx_principal *principal);
/* May the principal see a record that is not published? */
bool bx_policy_may_see(const struct bx_principal *principal, const json_t *record);
/* May the principal see the record's private fields (x-private)? */
bool bx_policy_sees_private(const struct bx_principal *principal, const json_t *record);
/* Do imports by this principal keep the ids and meta they carry? */
bool bx_policy_keeps_provenance(const struct bx_principal *principal);
/* Is the principal another node (role node)? Its imports are replication: records are
 * stamped meta.harvested, and copies of this node's own records are refused. */
bool bx_policy_replicates(const struct bx_principal *principal);
/* Accounts and vocabularies are administered by admins only. */
bool bx_policy_is_admin(const struct bx_principal *principal);
/* Fills the visibility part of a listing query for the principal. */
void bx_policy_list_scope(const struct bx_principal *principal, struct bx_list_query *query);

#endif
