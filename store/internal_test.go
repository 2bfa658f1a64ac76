package store

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot"
)

func TestSchemaVersionCountsMigrations(t *testing.T) {
	if got := uint64(len(migrations())); got != SchemaVersion {
		t.Fatalf("SchemaVersion = %d but there are %d migrations", SchemaVersion, got)
	}
}

// TestDecodeGarbage feeds random and cut-short values to every decoder:
// a damaged file must give errors, never a panic.
func TestDecodeGarbage(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 9))
	good := encodeSchedule(stretchbotScheduleForTest())
	inputs := [][]byte{nil, {}, {0}, {2}, {1}}
	for i := range len(good) {
		inputs = append(inputs, good[:i])
	}
	for range 2000 {
		b := make([]byte, rnd.IntN(64))
		for i := range b {
			b[i] = byte(rnd.Uint32())
		}
		if len(b) > 0 && rnd.IntN(2) == 0 {
			b[0] = valueV1
		}
		inputs = append(inputs, b)
	}
	for _, in := range inputs {
		_, _ = decodeSchedule(make([]byte, 8), in)
		_, _ = decodeUser(in)
		d := newDec("x", in)
		d.str()
		d.varint()
		d.time()
	}
	if _, err := decodeSchedule(make([]byte, 8), good); err != nil {
		t.Fatalf("good value: %v", err)
	}
	if _, err := decodeSchedule(make([]byte, 8), good[:len(good)-1]); err == nil {
		t.Fatal("cut-short value decoded without error")
	}
}

func stretchbotScheduleForTest() stretchbot.Schedule {
	return stretchbot.Schedule{ID: 1, Owner: "123456789012345678", GuildID: "1", Spec: "0 7 * * *", TimeZone: "UTC", At: time.Unix(1e9, 5), Created: time.Unix(2e9, 0)}
}

// TestReadOnlyFileSystemIsNotDamage: a sound file on a read-only mount
// fails to open for writing with EROFS; that is said as such, never as a
// damaged file.
func TestReadOnlyFileSystemIsNotDamage(t *testing.T) {
	err := openError("/data/stretchbot.db", &fs.PathError{Op: "open", Path: "/data/stretchbot.db", Err: syscall.EROFS}, time.Second)
	if !errors.Is(err, ErrReadOnlyFS) || errors.Is(err, ErrCorrupt) {
		t.Fatalf("err = %v; want ErrReadOnlyFS, not ErrCorrupt", err)
	}
}
