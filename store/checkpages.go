package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// The layout of a bbolt file, as far as CheckPages reads it. bbolt writes
// these structures in the machine's byte order; every platform stretchbot
// is built for is little-endian.
const (
	boltMagic        = 0xED0CDAED
	boltVersion      = 2
	pageHeaderSize   = 16 // id(8) flags(2) count(2) overflow(4)
	metaChecksumEnd  = 56 // the meta fields the checksum covers
	metaSize         = metaChecksumEnd + 8
	flagBranch       = 0x01
	flagLeaf         = 0x02
	flagFreelist     = 0x10
	noFreelist       = ^uint64(0)
	minBoltPageSize  = 1024
	maxBoltPageSize  = 1 << 16
	maxFreelistCheck = 1 << 24 // ids examined at most, so a huge count cannot stall the check
)

// boltMeta is one meta page.
type boltMeta struct {
	pageSize uint32
	root     uint64
	freelist uint64
	hwm      uint64 // pages in use: every page id is below it
	txid     uint64
}

// CheckPages inspects the structures of a bbolt file bbolt itself trusts
// (both meta pages, the freelist and the root page) by reading the bytes,
// without bbolt: damage there makes bbolt panic on a goroutine of its own,
// where no recover can catch it. It returns the problems found, in words;
// none means bbolt may safely open and check the file. fatal is true when
// bbolt must not be run on the file at all.
func CheckPages(path string) (problems []string, fatal bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, fmt.Errorf("check %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, false, fmt.Errorf("check %s: %w", path, err)
	}
	size := fi.Size()
	if size == 0 {
		return []string{"the file is empty"}, true, nil
	}
	page := func(off int64, n int) ([]byte, bool) {
		if off < 0 || off+int64(n) > size {
			return nil, false
		}
		b := make([]byte, n)
		_, err := f.ReadAt(b, off)
		return b, err == nil || errors.Is(err, io.EOF)
	}

	// Meta page 0 sits at the start; it says the page size, which places
	// meta page 1. When it is damaged, try the page sizes bbolt uses.
	var metas [2]*boltMeta
	var why [2]string
	metas[0], why[0] = readMeta(page, 0)
	sizes := []uint32{4096, 8192, 16384, 32768, 65536, uint32(os.Getpagesize())}
	if metas[0] != nil {
		sizes = []uint32{metas[0].pageSize}
	}
	why[1] = "it lies past the end of the file"
	for _, ps := range sizes {
		if m, w := readMeta(page, int64(ps)); m != nil {
			metas[1], why[1] = m, ""
			break
		} else if ps == sizes[0] {
			why[1] = w
		}
	}
	for i, m := range metas {
		if m == nil {
			problems = append(problems, fmt.Sprintf("meta page %d is damaged (%s)", i, why[i]))
		}
	}
	// bbolt uses the valid meta page with the higher transaction id.
	var m *boltMeta
	for _, c := range metas {
		if c != nil && (m == nil || c.txid > m.txid) {
			m = c
		}
	}
	if m == nil {
		return append(problems, "no meta page is readable: this is not a bbolt file, or both copies of its header are destroyed"), true, nil
	}
	if len(problems) > 0 {
		problems[len(problems)-1] += fmt.Sprintf("; bbolt falls back on the other copy, from transaction %d", m.txid)
	}
	ps := int64(m.pageSize)
	if int64(m.hwm)*ps > size {
		return append(problems, fmt.Sprintf("the file is %d bytes but its header says %d pages of %d bytes (truncated?)", size, m.hwm, ps)), true, nil
	}
	// header reads a page's header; ok is false when the page does not
	// carry its own id, as every page bbolt writes does.
	header := func(id uint64) (flags, count uint16, overflow uint32, ok bool) {
		b, ok := page(int64(id)*ps, pageHeaderSize)
		if !ok {
			return 0, 0, 0, false
		}
		return binary.LittleEndian.Uint16(b[8:]), binary.LittleEndian.Uint16(b[10:]), binary.LittleEndian.Uint32(b[12:]), binary.LittleEndian.Uint64(b) == id
	}
	damaged := func(what string, id uint64, flags uint16, idOK bool) string {
		if !idOK {
			return fmt.Sprintf("the %s page %d is damaged (its header names another page)", what, id)
		}
		return fmt.Sprintf("the %s page %d is damaged (wrong page type %#x)", what, id, flags)
	}

	if m.root < 2 || m.root >= m.hwm {
		problems, fatal = append(problems, fmt.Sprintf("the root page id %d is outside the file's %d pages", m.root, m.hwm)), true
	} else if flags, _, _, ok := header(m.root); !ok || (flags != flagBranch && flags != flagLeaf) {
		problems, fatal = append(problems, damaged("root", m.root, flags, ok)), true
	}

	if m.freelist != noFreelist {
		switch flags, count, overflow, ok := header(m.freelist); {
		case m.freelist < 2 || m.freelist >= m.hwm:
			problems, fatal = append(problems, fmt.Sprintf("the freelist page id %d is outside the file's %d pages", m.freelist, m.hwm)), true
		case !ok || flags != flagFreelist:
			problems, fatal = append(problems, damaged("freelist", m.freelist, flags, ok)), true
		default:
			if p := freelistProblem(page, m, int64(m.freelist)*ps, count, overflow); p != "" {
				problems, fatal = append(problems, p), true
			}
		}
	}
	return problems, fatal, nil
}

// freelistProblem checks that the freelist's ids fit in its pages and
// name pages of the file.
func freelistProblem(page func(int64, int) ([]byte, bool), m *boltMeta, off int64, count uint16, overflow uint32) string {
	avail := (int64(overflow)+1)*int64(m.pageSize) - pageHeaderSize
	n, start := int64(count), off+pageHeaderSize
	if count == 0xFFFF {
		// A long list keeps its length in the first id slot.
		b, ok := page(start, 8)
		if !ok {
			return fmt.Sprintf("the freelist page %d is cut off", m.freelist)
		}
		n, start, avail = int64(binary.LittleEndian.Uint64(b)), start+8, avail-8
	}
	if n < 0 || n*8 > avail {
		return fmt.Sprintf("the freelist page %d claims %d free pages, more than it can hold", m.freelist, n)
	}
	if n > maxFreelistCheck {
		n = maxFreelistCheck
	}
	b, ok := page(start, int(n*8))
	if !ok {
		return fmt.Sprintf("the freelist page %d is cut off", m.freelist)
	}
	for i := range n {
		if id := binary.LittleEndian.Uint64(b[i*8:]); id < 2 || id >= m.hwm {
			return fmt.Sprintf("the freelist page %d lists page %d, which is not a data page of this file (%d pages)", m.freelist, id, m.hwm)
		}
	}
	return ""
}

// readMeta reads the meta page at off; nil and the reason when it is not
// a valid one.
func readMeta(page func(int64, int) ([]byte, bool), off int64) (*boltMeta, string) {
	b, ok := page(off, pageHeaderSize+metaSize)
	if !ok {
		return nil, "it lies past the end of the file"
	}
	mb := b[pageHeaderSize:]
	le := binary.LittleEndian
	switch {
	case le.Uint32(mb) != boltMagic:
		return nil, "bad magic number"
	case le.Uint32(mb[4:]) != boltVersion:
		return nil, fmt.Sprintf("unknown version %d", le.Uint32(mb[4:]))
	}
	h := fnv.New64a()
	h.Write(mb[:metaChecksumEnd])
	if h.Sum64() != le.Uint64(mb[metaChecksumEnd:]) {
		return nil, "checksum mismatch"
	}
	m := &boltMeta{pageSize: le.Uint32(mb[8:]), root: le.Uint64(mb[16:]), freelist: le.Uint64(mb[32:]), hwm: le.Uint64(mb[40:]), txid: le.Uint64(mb[48:])}
	if m.pageSize < minBoltPageSize || m.pageSize > maxBoltPageSize || m.pageSize&(m.pageSize-1) != 0 {
		return nil, fmt.Sprintf("impossible page size %d", m.pageSize)
	}
	return m, ""
}
