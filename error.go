package stretchbot

import (
	"errors"
	"fmt"

	"github.com/stretchbot/stretchbot/lang"
)

// Error codes. A code says what went wrong in a way handlers can act on;
// the message says it in words a user understands.
const (
	EINVALID      = "invalid"      // the user's input is wrong
	ENOTFOUND     = "not_found"    // no such record for this user
	EUNAUTHORIZED = "unauthorized" // the user may not do this
	ECONFLICT     = "conflict"     // the request clashes with current state
	ELIMIT        = "limit"        // a per-user limit is reached
	EINTERNAL     = "internal"     // our fault; details go to the log only
)

// Error is an application error: a code for programs and a message for
// people. Handlers show Message to the user; anything that is not an *Error
// is logged and shown as "something went wrong".
type Error struct {
	Code    string
	Message string // in English, for logs and for callers without a language
	// ID and Args name the message of lang/messages that says Message in
	// every language (Args as name, value pairs); ID is "" for an error
	// made with Errorf, whose Message is all there is.
	ID   string
	Args []any
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("stretchbot: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Fail returns an *Error whose words are message id of lang/messages,
// with the template fields kv (name, value pairs): ErrorText shows it in
// the person's language.
func Fail(code, id string, kv ...any) *Error {
	return &Error{Code: code, Message: lang.English().T(id, kv...), ID: id, Args: kv}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the user-facing message of err. Internal errors get a
// generic message so no implementation detail leaks to users.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	default:
		return lang.English().T("error.internal")
	}
}

// ErrorText is ErrorMessage in p's language: the message of an *Error
// made with Fail, the Message of one made with Errorf, and the generic
// words for anything else.
func ErrorText(p *lang.Printer, err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		if e.ID != "" {
			return p.T(e.ID, e.Args...)
		}
		return e.Message
	default:
		return p.T("error.internal")
	}
}
