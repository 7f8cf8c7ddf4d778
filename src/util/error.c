/* Descriptions of the error codes of error.h. */
#include "util/error.h"

const char *bx_strerror(int code)
{
	switch (code) {
	case BX_OK: return "ok";
	case BX_ENOMEM: return "out of memory or over a size limit";
	case BX_EINVAL: return "malformed input";
	case BX_ENOTFOUND: return "not found";
	case BX_ECONFLICT: return "revision conflict";
	case BX_ETOOBIG: return "too large";
	case BX_EIO: return "storage or system error";
	case BX_EPERM: return "not allowed";
	case BX_EEXIST: return "already exists";
	case BX_EINVALID: return "invalid";
	case BX_EGONE: return "withdrawn";
	case BX_EAUTH: return "authentication required";
	case BX_ELIMIT: return "rate limited";
	case BX_EPRECONDITION: return "precondition failed";
	case BX_ENOPRECONDITION: return "precondition required";
	case BX_EMEDIA: return "unsupported media type";
	case BX_EMETHOD: return "method not allowed";
	}
	return "unknown error";
}
