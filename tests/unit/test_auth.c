/* Unit tests of src/auth: argon2id passwords, API tokens and their hashes, the fixed-window
 * rate limiter (with explicit clocks) and the role rules of policy.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "auth/password.h"
#include "auth/policy.h"
#include "auth/ratelimit.h"
#include "auth/token.h"
#include "fixture.h"

static int group_setup(void **state)
{
	return sodium_init() < 0 ? -1 : 0;
}

static void password_hash_and_verify(void **state)
{
	char hash[BX_PASSWORD_HASH_SIZE], again[BX_PASSWORD_HASH_SIZE];
	assert_int_equal(bx_password_hash("correct horse battery", hash), 0);
	assert_memory_equal(hash, "$argon2id$", 10);
	/* libsodium's interactive limits: 64 MiB, 2 passes. */
	assert_non_null(strstr(hash, "$m=65536,t=2,"));
	assert_true(strlen(hash) < BX_PASSWORD_HASH_SIZE);
	assert_null(strstr(hash, "correct horse"));
	assert_true(bx_password_verify(hash, "correct horse battery"));
	assert_false(bx_password_verify(hash, "correct horse batterY"));
	assert_false(bx_password_verify(hash, "correct horse battery "));
	assert_false(bx_password_verify(hash, ""));
	/* Salted: the same password hashes differently each time, and both verify. */
	assert_int_equal(bx_password_hash("correct horse battery", again), 0);
	assert_string_not_equal(hash, again);
	assert_true(bx_password_verify(again, "correct horse battery"));
	/* No hash (unknown user) and a malformed hash never verify. */
	assert_false(bx_password_verify(NULL, "correct horse battery"));
	assert_false(bx_password_verify(NULL, "a decoy password"));
	assert_false(bx_password_verify("$argon2id$garbage", "correct horse battery"));
	assert_false(bx_password_verify("", "correct horse battery"));
}

static void password_length_limits(void **state)
{
	char hash[BX_PASSWORD_HASH_SIZE];
	assert_int_equal(bx_password_hash("", hash), BX_EINVAL);
	assert_int_equal(bx_password_hash("1234567", hash), BX_EINVAL);   /* 7 < BX_PASSWORD_MIN */
	assert_int_equal(BX_PASSWORD_MIN, 8);
	assert_int_equal(bx_password_hash("12345678", hash), 0);
	assert_true(bx_password_verify(hash, "12345678"));
	char *long_password = malloc(BX_PASSWORD_MAX + 2);
	memset(long_password, 'p', BX_PASSWORD_MAX + 1);
	long_password[BX_PASSWORD_MAX + 1] = '\0';
	assert_int_equal(bx_password_hash(long_password, hash), BX_EINVAL);
	long_password[BX_PASSWORD_MAX] = '\0';
	assert_int_equal(bx_password_hash(long_password, hash), 0);
	assert_true(bx_password_verify(hash, long_password));
	free(long_password);
}

static void token_shape_and_hash(void **state)
{
	char token[BX_TOKEN_SIZE], second[BX_TOKEN_SIZE];
	unsigned char hash[BX_TOKEN_HASH_SIZE], second_hash[BX_TOKEN_HASH_SIZE], check[BX_TOKEN_HASH_SIZE];
	bx_token_new(token, hash);
	assert_int_equal(strlen(token), 43);
	assert_int_equal(strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), 43);
	bx_token_hash(token, check);
	assert_memory_equal(hash, check, BX_TOKEN_HASH_SIZE);
	/* 43 base64url characters decode to the 32 random bytes. */
	unsigned char raw[64];
	size_t n_raw = 0;
	assert_int_equal(sodium_base642bin(raw, sizeof raw, token, strlen(token), NULL, &n_raw, NULL,
	                                   sodium_base64_VARIANT_URLSAFE_NO_PADDING), 0);
	assert_int_equal(n_raw, 32);
	bx_token_new(second, second_hash);
	assert_string_not_equal(token, second);
	assert_memory_not_equal(hash, second_hash, BX_TOKEN_HASH_SIZE);
	/* The hash is unkeyed BLAKE2b-256 of the token text. */
	static const unsigned char abc[BX_TOKEN_HASH_SIZE] = {
		0xbd, 0xdd, 0x81, 0x3c, 0x63, 0x42, 0x39, 0x72, 0x31, 0x71, 0xef, 0x3f, 0xee, 0x98, 0x57, 0x9b,
		0x94, 0x96, 0x4e, 0x3b, 0xb1, 0xcb, 0x3e, 0x42, 0x72, 0x62, 0xc8, 0xc0, 0x68, 0xd5, 0x23, 0x19,
	};
	bx_token_hash("abc", check);
	assert_memory_equal(check, abc, BX_TOKEN_HASH_SIZE);
	/* One character changes the hash. */
	second[0] = second[0] == 'A' ? 'B' : 'A';
	bx_token_hash(second, check);
	assert_memory_not_equal(check, second_hash, BX_TOKEN_HASH_SIZE);
}

static void ratelimit_window(void **state)
{
	struct bx_ratelimit *limit = bx_ratelimit_new(3, 60);
	assert_non_null(limit);
	int retry_after = -1;
	assert_false(bx_ratelimit_exceeded(limit, "1.2.3.4", 1000, &retry_after));
	bx_ratelimit_hit(limit, "1.2.3.4", 1000);
	bx_ratelimit_hit(limit, "1.2.3.4", 1010);
	assert_false(bx_ratelimit_exceeded(limit, "1.2.3.4", 1020, &retry_after));
	bx_ratelimit_hit(limit, "1.2.3.4", 1020);
	/* Three events in the window that began at 1000: the fourth must wait until 1060. */
	assert_true(bx_ratelimit_exceeded(limit, "1.2.3.4", 1030, &retry_after));
	assert_int_equal(retry_after, 30);
	assert_true(bx_ratelimit_exceeded(limit, "1.2.3.4", 1059, &retry_after));
	assert_int_equal(retry_after, 1);
	/* Keys are counted apart. */
	assert_false(bx_ratelimit_exceeded(limit, "5.6.7.8", 1030, &retry_after));
	assert_false(bx_ratelimit_exceeded(limit, "alice", 1030, &retry_after));
	/* The window has passed. */
	assert_false(bx_ratelimit_exceeded(limit, "1.2.3.4", 1060, &retry_after));
	bx_ratelimit_hit(limit, "1.2.3.4", 1060);
	bx_ratelimit_hit(limit, "1.2.3.4", 1061);
	assert_false(bx_ratelimit_exceeded(limit, "1.2.3.4", 1062, &retry_after));
	bx_ratelimit_hit(limit, "1.2.3.4", 1062);
	assert_true(bx_ratelimit_exceeded(limit, "1.2.3.4", 1063, &retry_after));
	assert_int_equal(retry_after, 57);
	/* Clearing forgets the key. */
	bx_ratelimit_clear(limit, "1.2.3.4");
	assert_false(bx_ratelimit_exceeded(limit, "1.2.3.4", 1063, &retry_after));
	bx_ratelimit_clear(limit, "never-seen");
	bx_ratelimit_free(limit);
	bx_ratelimit_free(NULL);
}

static void ratelimit_many_keys_are_swept(void **state)
{
	struct bx_ratelimit *limit = bx_ratelimit_new(1, 10);
	char key[32];
	for (int i = 0; i < 12000; i++) {
		snprintf(key, sizeof key, "10.0.%d.%d", i / 256, i % 256);
		bx_ratelimit_hit(limit, key, i < 6000 ? 100 : 200);
	}
	int retry_after = 0;
	/* Recent keys still count; old ones have expired. */
	assert_true(bx_ratelimit_exceeded(limit, "10.0.46.223", 205, &retry_after));   /* i = 11999 */
	assert_int_equal(retry_after, 5);
	assert_false(bx_ratelimit_exceeded(limit, "10.0.0.0", 205, &retry_after));
	bx_ratelimit_free(limit);
}

static struct bx_principal principal(enum bx_role role, const char *name, const char *country,
                                     const char *instruments)
{
	struct bx_principal p;
	memset(&p, 0, sizeof p);
	p.role = role;
	snprintf(p.name, sizeof p.name, "%s", name ?: "");
	snprintf(p.country, sizeof p.country, "%s", country ?: "");
	snprintf(p.instruments, sizeof p.instruments, "%s", instruments ?: "");
	return p;
}

/* bx_policy_check_write on record and current (text, current may be NULL). */
static int may_write(const struct bx_principal *p, const char *record, const char *current)
{
	json_t *r = q(record), *c = current ? q(current) : NULL;
	char reason[256] = "";
	int rc = bx_policy_check_write(p, r, c, reason, sizeof reason);
	if (rc && !reason[0])
		fail_msg("refused without a reason");
	json_decref(r);
	json_decref(c);
	return rc;
}

static void policy_anonymous_and_privileged(void **state)
{
	struct bx_principal anonymous = principal(BX_ROLE_ANONYMOUS, NULL, NULL, NULL);
	assert_int_equal(may_write(&anonymous, "{'countries': ['CN']}", NULL), BX_EAUTH);
	assert_int_equal(may_write(&anonymous, "{'status': 'draft'}", NULL), BX_EAUTH);
	static const enum bx_role privileged[] = {BX_ROLE_EDITOR, BX_ROLE_ADMIN, BX_ROLE_NODE};
	for (size_t i = 0; i < 3; i++) {
		struct bx_principal p = principal(privileged[i], "ed", NULL, NULL);
		assert_int_equal(may_write(&p, "{'countries': ['FR', 'CN'], 'status': 'published'}", NULL), 0);
		assert_int_equal(may_write(&p, "{'status': 'published'}",
		                           "{'status': 'published', 'meta': {'author': 'someone-else'}}"), 0);
		assert_int_equal(may_write(&p, "{'status': 'withdrawn'}", "{'status': 'draft'}"), 0);
	}
}

static void policy_national(void **state)
{
	struct bx_principal cn = principal(BX_ROLE_NATIONAL, "focal.cn", "CN", NULL);
	assert_int_equal(may_write(&cn, "{'countries': ['CN'], 'status': 'published'}", NULL), 0);
	assert_int_equal(may_write(&cn, "{'countries': ['CN', 'CN']}", NULL), 0);
	assert_int_equal(may_write(&cn, "{'countries': ['FR']}", NULL), BX_EPERM);
	assert_int_equal(may_write(&cn, "{'countries': ['CN', 'FR']}", NULL), BX_EPERM);
	assert_int_equal(may_write(&cn, "{'countries': ['FR', 'CN']}", NULL), BX_EPERM);
	assert_int_equal(may_write(&cn, "{'countries': []}", NULL), BX_EPERM);
	assert_int_equal(may_write(&cn, "{'title': {'en': 'no countries'}}", NULL), BX_EPERM);
	assert_int_equal(may_write(&cn, "{'countries': ['cn']}", NULL), BX_EPERM);
	/* The record it replaces must be the country's too. */
	assert_int_equal(may_write(&cn, "{'countries': ['CN']}", "{'countries': ['CN']}"), 0);
	assert_int_equal(may_write(&cn, "{'countries': ['CN']}", "{'countries': ['FR']}"), BX_EPERM);
	assert_int_equal(may_write(&cn, "{'countries': ['CN']}", "{'countries': ['CN', 'JP']}"), BX_EPERM);

	/* Bound to instruments. */
	struct bx_principal cites = principal(BX_ROLE_NATIONAL, "ma.cn", "CN", "cites");
	assert_int_equal(may_write(&cites, "{'countries': ['CN'], 'conventions': ['cites']}", NULL), 0);
	assert_int_equal(may_write(&cites, "{'countries': ['CN'], 'conventions': ['cbd']}", NULL), BX_EPERM);
	assert_int_equal(may_write(&cites, "{'countries': ['CN'], 'conventions': ['cites', 'cbd']}", NULL), BX_EPERM);
	assert_int_equal(may_write(&cites, "{'countries': ['CN']}", NULL), BX_EPERM);
	assert_int_equal(may_write(&cites, "{'countries': ['CN'], 'conventions': ['cite']}", NULL), BX_EPERM);
	assert_int_equal(may_write(&cites, "{'countries': ['CN'], 'conventions': ['cites']}",
	                           "{'countries': ['CN'], 'conventions': ['cbd']}"), BX_EPERM);
	assert_int_equal(may_write(&cites, "{'countries': ['FR'], 'conventions': ['cites']}", NULL), BX_EPERM);
	struct bx_principal two = principal(BX_ROLE_NATIONAL, "nfp.cn", "CN", "cbd,cms");
	assert_int_equal(may_write(&two, "{'countries': ['CN'], 'conventions': ['cms']}", NULL), 0);
	assert_int_equal(may_write(&two, "{'countries': ['CN'], 'conventions': ['cbd', 'cms']}", NULL), 0);
	assert_int_equal(may_write(&two, "{'countries': ['CN'], 'conventions': ['cb']}", NULL), BX_EPERM);
	assert_int_equal(may_write(&two, "{'countries': ['CN'], 'conventions': ['cbd,cms']}", NULL), BX_EPERM);
	assert_int_equal(may_write(&two, "{'countries': ['CN'], 'conventions': ['ramsar']}", NULL), BX_EPERM);
}

static void policy_contributor(void **state)
{
	struct bx_principal bob = principal(BX_ROLE_CONTRIBUTOR, "bob", NULL, NULL);
	assert_int_equal(may_write(&bob, "{'title': {'en': 'x'}}", NULL), 0);
	assert_int_equal(may_write(&bob, "{'status': 'draft'}", NULL), 0);
	assert_int_equal(may_write(&bob, "{'status': 'submitted'}", NULL), 0);
	assert_int_equal(may_write(&bob, "{'status': 'published'}", NULL), BX_EPERM);
	assert_int_equal(may_write(&bob, "{'status': 'withdrawn'}", NULL), BX_EPERM);
	/* Editing: own drafts and submissions only. */
	assert_int_equal(may_write(&bob, "{'status': 'submitted'}",
	                           "{'status': 'draft', 'meta': {'author': 'bob'}}"), 0);
	assert_int_equal(may_write(&bob, "{'status': 'draft'}",
	                           "{'status': 'submitted', 'meta': {'author': 'bob'}}"), 0);
	assert_int_equal(may_write(&bob, "{'status': 'draft'}",
	                           "{'status': 'draft', 'meta': {'author': 'alice'}}"), BX_EPERM);
	assert_int_equal(may_write(&bob, "{'status': 'draft'}",
	                           "{'status': 'draft', 'meta': {'author': 'bobby'}}"), BX_EPERM);
	assert_int_equal(may_write(&bob, "{'status': 'draft'}", "{'status': 'draft'}"), BX_EPERM);
	assert_int_equal(may_write(&bob, "{'status': 'draft'}",
	                           "{'status': 'published', 'meta': {'author': 'bob'}}"), BX_EPERM);
	assert_int_equal(may_write(&bob, "{}", "{'status': 'published', 'meta': {'author': 'bob'}}"), BX_EPERM);
	assert_int_equal(may_write(&bob, "{'status': 'published'}",
	                           "{'status': 'draft', 'meta': {'author': 'bob'}}"), BX_EPERM);
}

static void policy_visibility_and_defaults(void **state)
{
	json_t *cn_draft = q("{'countries': ['CN'], 'status': 'draft', 'meta': {'author': 'bob'}}");
	json_t *fr_draft = q("{'countries': ['FR'], 'status': 'draft', 'meta': {'author': 'alice'}}");
	struct bx_principal anonymous = principal(BX_ROLE_ANONYMOUS, NULL, NULL, NULL);
	struct bx_principal editor = principal(BX_ROLE_EDITOR, "ed", NULL, NULL);
	struct bx_principal admin = principal(BX_ROLE_ADMIN, "root", NULL, NULL);
	struct bx_principal node = principal(BX_ROLE_NODE, "peer", NULL, NULL);
	struct bx_principal national = principal(BX_ROLE_NATIONAL, "focal.cn", "CN", NULL);
	struct bx_principal bob = principal(BX_ROLE_CONTRIBUTOR, "bob", NULL, NULL);
	assert_false(bx_policy_may_see(&anonymous, cn_draft));
	assert_true(bx_policy_may_see(&editor, fr_draft));
	assert_true(bx_policy_may_see(&admin, fr_draft));
	assert_true(bx_policy_may_see(&node, fr_draft));
	assert_true(bx_policy_may_see(&national, cn_draft));
	assert_false(bx_policy_may_see(&national, fr_draft));
	assert_true(bx_policy_may_see(&bob, cn_draft));
	assert_false(bx_policy_may_see(&bob, fr_draft));
	assert_false(bx_policy_sees_private(&anonymous, cn_draft));
	assert_true(bx_policy_sees_private(&editor, cn_draft));

	assert_string_equal(bx_policy_default_status(&bob), "draft");
	assert_string_equal(bx_policy_default_status(&editor), "published");
	assert_string_equal(bx_policy_default_status(&national), "published");
	assert_string_equal(bx_policy_default_status(&admin), "published");

	assert_true(bx_policy_keeps_provenance(&admin));
	assert_true(bx_policy_keeps_provenance(&node));
	assert_false(bx_policy_keeps_provenance(&editor));
	assert_false(bx_policy_keeps_provenance(&national));
	assert_true(bx_policy_is_admin(&admin));
	assert_false(bx_policy_is_admin(&editor));

	struct bx_list_query query;
	memset(&query, 0, sizeof query);
	bx_policy_list_scope(&editor, &query);
	assert_true(query.see_all);
	bx_policy_list_scope(&national, &query);
	assert_false(query.see_all);
	assert_string_equal(query.see_country, "CN");
	assert_null(query.see_author);
	bx_policy_list_scope(&bob, &query);
	assert_false(query.see_all);
	assert_null(query.see_country);
	assert_string_equal(query.see_author, "bob");
	bx_policy_list_scope(&anonymous, &query);
	assert_false(query.see_all);
	assert_null(query.see_country);
	assert_null(query.see_author);
	json_decref(cn_draft);
	json_decref(fr_draft);
}

static void roles_and_principals(void **state)
{
	enum bx_role role = BX_ROLE_ANONYMOUS;
	static const char *const names[] = {"admin", "editor", "national", "contributor", "node"};
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(bx_role_parse(names[i], &role), 0);
		assert_string_equal(bx_role_name(role), names[i]);
	}
	assert_int_equal(bx_role_parse("anonymous", &role), BX_EINVAL);
	assert_int_equal(bx_role_parse("Admin", &role), BX_EINVAL);
	assert_int_equal(bx_role_parse("", &role), BX_EINVAL);
	assert_int_equal(bx_role_parse(NULL, &role), BX_EINVAL);

	struct bx_user user = {.name = (char *)"focal.cn", .role = (char *)"national", .country = (char *)"CN",
	                       .instruments = (char *)"cites"};
	struct bx_principal p;
	bx_principal_from_user(&p, &user);
	assert_int_equal(p.role, BX_ROLE_NATIONAL);
	assert_string_equal(p.name, "focal.cn");
	assert_string_equal(p.country, "CN");
	assert_string_equal(p.instruments, "cites");
	user = (struct bx_user){.name = (char *)"x", .role = (char *)"superuser"};
	bx_principal_from_user(&p, &user);
	assert_int_equal(p.role, BX_ROLE_ANONYMOUS);
	assert_string_equal(p.country, "");
	assert_string_equal(p.instruments, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(password_hash_and_verify),
		cmocka_unit_test(password_length_limits),
		cmocka_unit_test(token_shape_and_hash),
		cmocka_unit_test(ratelimit_window),
		cmocka_unit_test(ratelimit_many_keys_are_swept),
		cmocka_unit_test(policy_anonymous_and_privileged),
		cmocka_unit_test(policy_national),
		cmocka_unit_test(policy_contributor),
		cmocka_unit_test(policy_visibility_and_defaults),
		cmocka_unit_test(roles_and_principals),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
