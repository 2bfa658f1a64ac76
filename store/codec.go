package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/stretchbot/stretchbot"
)

// maxIDLen bounds IDs inside compound keys: they are written with a
// one-byte length. Discord snowflakes have at most 20 digits.
const maxIDLen = 255

// checkID validates an ID that goes into a key.
func checkID(what, id string) error {
	if id == "" {
		return stretchbot.Errorf(stretchbot.EINVALID, "A %s ID is required.", what)
	}
	if len(id) > maxIDLen {
		return stretchbot.Errorf(stretchbot.EINVALID, "That %s ID is too long.", what)
	}
	return nil
}

// lp returns the length-prefixed form of id used inside compound keys.
func lp(id string) []byte {
	b := make([]byte, 0, 1+len(id)+16)
	b = append(b, byte(len(id)))
	return append(b, id...)
}

func u64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

// minKeyTime and maxKeyTime bound the times a key can hold (UnixNano).
var (
	minKeyTime = time.Unix(0, -1<<63).Add(time.Second)
	maxKeyTime = time.Unix(0, 1<<63-1).Add(-time.Second)
)

// checkTime validates a time that goes into a key.
func checkTime(what string, t time.Time) error {
	if t.IsZero() {
		return stretchbot.Errorf(stretchbot.EINVALID, "The %s time is missing.", what)
	}
	if t.Before(minKeyTime) || t.After(maxKeyTime) {
		return stretchbot.Errorf(stretchbot.EINVALID, "The %s time %s is out of range.", what, t.UTC().Format(time.RFC3339))
	}
	return nil
}

// tk encodes t for a key: UnixNano with the sign bit flipped sorts
// correctly as unsigned big-endian. Times outside the key range are clamped
// (only range bounds may be out of range; stored times are checked).
func tk(t time.Time) uint64 {
	switch {
	case t.Before(minKeyTime):
		return 0
	case t.After(maxKeyTime):
		return 1<<64 - 1
	}
	return uint64(t.UnixNano()) ^ 1<<63
}

func appendTime(b []byte, t time.Time) []byte { return binary.BigEndian.AppendUint64(b, tk(t)) }

func timeFromKey(b []byte) time.Time {
	return time.Unix(0, int64(binary.BigEndian.Uint64(b)^1<<63)).UTC()
}

// hasPrefixKey reports whether k starts with prefix.
func hasPrefixKey(k, prefix []byte) bool { return k != nil && bytes.HasPrefix(k, prefix) }

// valueV1 is the version byte of every value format in use.
const valueV1 = 1

var errShortValue = errors.New("value is cut short")

// enc builds a binary value: uvarints, varints, length-prefixed strings.
type enc struct{ b []byte }

func newEnc() *enc              { return &enc{b: []byte{valueV1}} }
func (e *enc) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *enc) varint(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *enc) str(s string)     { e.uvarint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *enc) bool(v bool)      { e.b = append(e.b, boolByte(v)) }
func (e *enc) time(t time.Time) { // zero → 0; else 1, seconds, nanoseconds
	if t.IsZero() {
		e.b = append(e.b, 0)
		return
	}
	e.b = append(e.b, 1)
	e.varint(t.Unix())
	e.uvarint(uint64(t.Nanosecond()))
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// dec reads a value written by enc. The first error sticks; every read
// after it returns zero values, so decoders check err once at the end.
// It never panics on garbage.
type dec struct {
	b   []byte
	err error
}

func newDec(what string, b []byte) *dec {
	d := &dec{b: b}
	switch {
	case len(b) == 0:
		d.err = fmt.Errorf("%w: %s: empty value", ErrCorrupt, what)
	case b[0] != valueV1:
		d.err = fmt.Errorf("%w: %s: unknown value version %d", ErrCorrupt, what, b[0])
	default:
		d.b = b[1:]
	}
	return d
}

func (d *dec) fail() {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %w", ErrCorrupt, errShortValue)
	}
}

func (d *dec) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) byte() byte {
	if d.err != nil {
		return 0
	}
	if len(d.b) == 0 {
		d.fail()
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *dec) bool() bool { return d.byte() != 0 }

// more reports whether the value goes on: fields added to a format later
// are absent from values written before.
func (d *dec) more() bool { return d.err == nil && len(d.b) > 0 }

func (d *dec) str() string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *dec) time() time.Time {
	if d.byte() == 0 {
		return time.Time{}
	}
	sec, nsec := d.varint(), d.uvarint()
	if d.err != nil || nsec >= 1e9 {
		d.fail()
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).UTC()
}
