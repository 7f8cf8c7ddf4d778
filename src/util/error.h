/* Error codes shared by every layer. Fallible functions return 0 on success or one of
 * these negative codes; http/response.c is the one place that maps them to HTTP. */
#ifndef BX_ERROR_H
#define BX_ERROR_H

#define BX_MUST_USE __attribute__((warn_unused_result))

enum bx_error {
	BX_OK = 0,
	BX_ENOMEM = -1,     /* allocation failed or a size cap was reached */
	BX_EINVAL = -2,     /* malformed input */
	BX_ENOTFOUND = -3,  /* no such thing */
	BX_ECONFLICT = -4,  /* revision conflict */
	BX_ETOOBIG = -5,    /* input over a limit */
	BX_EIO = -6,        /* storage or system failure */
	BX_EPERM = -7,      /* not allowed */
	BX_EEXIST = -8,     /* already exists */
	BX_EINVALID = -9,   /* well-formed but breaks the rules (validation) */
	BX_EGONE = -10,     /* withdrawn (tombstone) */
	BX_EAUTH = -11,     /* no or bad credentials */
	BX_ELIMIT = -12,    /* rate limited */
	BX_EPRECONDITION = -13,  /* a stated precondition (If-Match) does not hold */
	BX_ENOPRECONDITION = -14, /* a precondition is required and none was given */
	BX_EMEDIA = -15,    /* unsupported content type */
	BX_EMETHOD = -16,   /* the resource does not answer this method */
};

/* A short English description of an error code, for logs and the command line. */
const char *bx_strerror(int code);

#endif
