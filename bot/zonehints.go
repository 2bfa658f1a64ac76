package bot

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/stretchbot/stretchbot"
	"github.com/stretchbot/stretchbot/lang"
)

// abbreviations maps zone abbreviations and old zone names people type to
// the IANA zones they most likely mean, most likely first.
var abbreviations = map[string][]string{
	"est": {"America/New_York", "America/Toronto"}, "edt": {"America/New_York", "America/Toronto"},
	"cst": {"America/Chicago", "America/Mexico_City", "Asia/Shanghai"}, "cdt": {"America/Chicago"},
	"mst": {"America/Denver", "America/Phoenix"}, "mdt": {"America/Denver"},
	"pst": {"America/Los_Angeles", "America/Vancouver"}, "pdt": {"America/Los_Angeles", "America/Vancouver"},
	"akst": {"America/Anchorage"}, "akdt": {"America/Anchorage"},
	"hst": {"Pacific/Honolulu"},
	"ast": {"America/Halifax", "Asia/Riyadh"}, "adt": {"America/Halifax"},
	"nst": {"America/St_Johns"}, "ndt": {"America/St_Johns"},
	"gmt": {"Europe/London", "UTC"}, "bst": {"Europe/London"}, "wet": {"Europe/Lisbon"}, "west": {"Europe/Lisbon"},
	"ist": {"Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"},
	"cet": {"Europe/Berlin", "Europe/Paris", "Europe/Madrid"}, "cest": {"Europe/Berlin", "Europe/Paris", "Europe/Madrid"},
	"met": {"Europe/Berlin", "Europe/Paris"}, "mez": {"Europe/Berlin"}, "mesz": {"Europe/Berlin"},
	"eet": {"Europe/Athens", "Europe/Helsinki", "Africa/Cairo"}, "eest": {"Europe/Athens", "Europe/Helsinki"},
	"msk": {"Europe/Moscow"},
	"jst": {"Asia/Tokyo"}, "kst": {"Asia/Seoul"}, "hkt": {"Asia/Hong_Kong"}, "sgt": {"Asia/Singapore"},
	"pht": {"Asia/Manila"}, "wib": {"Asia/Jakarta"},
	"aest": {"Australia/Sydney", "Australia/Brisbane"}, "aedt": {"Australia/Sydney", "Australia/Melbourne"},
	"acst": {"Australia/Adelaide", "Australia/Darwin"}, "acdt": {"Australia/Adelaide"}, "awst": {"Australia/Perth"},
	"nzst": {"Pacific/Auckland"}, "nzdt": {"Pacific/Auckland"},
	"brt": {"America/Sao_Paulo"}, "art": {"America/Argentina/Buenos_Aires"},
	"sast": {"Africa/Johannesburg"}, "cat": {"Africa/Maputo"}, "eat": {"Africa/Nairobi"}, "wat": {"Africa/Lagos"},
	"est5edt": {"America/New_York"}, "cst6cdt": {"America/Chicago"}, "mst7mdt": {"America/Denver"}, "pst8pdt": {"America/Los_Angeles"},
}

// popularZones are tried first when an offset like UTC+2 is given, so the
// suggestions are places people know.
var popularZones = []string{
	"America/Los_Angeles", "America/Denver", "America/Phoenix", "America/Chicago", "America/Mexico_City", "America/Bogota",
	"America/New_York", "America/Toronto", "America/Halifax", "America/Sao_Paulo", "America/Argentina/Buenos_Aires",
	"America/St_Johns", "Atlantic/Azores", "Europe/London", "Europe/Lisbon", "Europe/Dublin", "Africa/Lagos",
	"Europe/Berlin", "Europe/Paris", "Europe/Madrid", "Europe/Rome", "Africa/Johannesburg", "Africa/Cairo",
	"Europe/Athens", "Europe/Helsinki", "Europe/Kyiv", "Europe/Istanbul", "Europe/Moscow", "Africa/Nairobi",
	"Asia/Riyadh", "Asia/Tehran", "Asia/Dubai", "Asia/Kabul", "Asia/Karachi", "Asia/Kolkata", "Asia/Kathmandu",
	"Asia/Dhaka", "Asia/Yangon", "Asia/Bangkok", "Asia/Jakarta", "Asia/Shanghai", "Asia/Singapore",
	"Australia/Perth", "Asia/Tokyo", "Asia/Seoul", "Australia/Adelaide", "Australia/Darwin", "Australia/Brisbane",
	"Australia/Sydney", "Pacific/Noumea", "Pacific/Auckland", "Pacific/Honolulu", "America/Anchorage",
}

// zoneRegions are the IANA areas, to find a city by its name alone.
var zoneRegions = []string{"Europe", "America", "Asia", "Africa", "Australia", "Pacific", "Atlantic", "Indian", "Antarctica"}

var offsetRe = regexp.MustCompile(`^(?i:utc|gmt)?\s*([+\-−])\s*(\d{1,2})(?::?(\d{2}))?$`)

// loadZone reads a time zone someone typed. A zone name in any letter case
// is taken as that zone; anything else is refused with the closest IANA
// names.
func (b *Bot) loadZone(p *lang.Printer, name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if len(name) > 64 {
		return stretchbot.LoadLocation(name) // refused there, with the usual words
	}
	if canonical, ok := caseInsensitiveZone(name); ok {
		name = canonical
	}
	loc, err := stretchbot.LoadLocation(name)
	if err != nil {
		if hints := b.zoneHints(name); len(hints) > 0 {
			return nil, stretchbot.Fail(stretchbot.EINVALID, "zone.did_you_mean", "Input", strconv.Quote(name), "Zones", orList(p, hints))
		}
		return nil, err
	}
	return loc, nil
}

// zoneWarning is a line for a zone that keeps one offset all year while
// the place it is named for changes for summer time (EST, not
// America/New_York); "" for every other zone.
func (b *Bot) zoneWarning(p *lang.Printer, loc *time.Location) string {
	alt, ok := abbreviations[strings.ToLower(loc.String())]
	if !ok || slices.Contains(zoneNames, loc.String()) {
		return ""
	}
	place, err := time.LoadLocation(alt[0])
	if err != nil || changesForSummer(loc, b.now()) || !changesForSummer(place, b.now()) {
		return ""
	}
	return "⚠️ " + p.T("zone.fixed_offset", "Zone", loc.String(), "Offset", utcOffset(loc, b.now()), "City", cityOf(alt[0]), "Instead", alt[0])
}

// caseInsensitiveZone finds the zone name spelled as typed but for letter
// case: europe/berlin is Europe/Berlin.
func caseInsensitiveZone(name string) (string, bool) {
	for _, z := range zoneNames {
		if strings.EqualFold(z, name) {
			return z, true
		}
	}
	// Names outside the canonical list (old links such as Europe/Amsterdam)
	// load when spelled in their usual case.
	if titled := titleZone(name); titled != name {
		if _, err := time.LoadLocation(titled); err == nil && strings.Contains(titled, "/") {
			return titled, true
		}
	}
	return "", false
}

// titleZone capitalises each word of a zone name: america/new_york is
// America/New_York.
func titleZone(name string) string {
	r := []rune(strings.ToLower(strings.ReplaceAll(strings.TrimSpace(name), " ", "_")))
	for i := range r {
		if i == 0 || strings.ContainsRune("/_-", r[i-1]) {
			r[i] = unicode.ToUpper(r[i])
		}
	}
	return string(r)
}

// zoneHints returns up to three IANA names close to what was typed.
func (b *Bot) zoneHints(typed string) []string {
	key := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(typed), " ", "_"))
	if key == "" {
		return nil
	}
	if alt, ok := abbreviations[key]; ok {
		return alt
	}
	if m := offsetRe.FindStringSubmatch(strings.TrimSpace(typed)); m != nil {
		return zonesAtOffset(m, b.now())
	}
	var out []string
	add := func(z string) {
		if !slices.Contains(out, z) && len(out) < 3 {
			out = append(out, z)
		}
	}
	// A city alone: berlin is Europe/Berlin.
	for _, z := range zoneNames {
		if strings.EqualFold(z[strings.LastIndex(z, "/")+1:], key) {
			add(z)
		}
	}
	city := titleZone(key)
	for _, region := range zoneRegions {
		if _, err := time.LoadLocation(region + "/" + city); err == nil && !strings.Contains(city, "/") {
			add(region + "/" + city)
		}
	}
	if len(out) > 0 {
		return out
	}
	// A typo: the names nearest in spelling, by city or in full.
	type scored struct {
		zone string
		d    int
	}
	var near []scored
	for _, z := range zoneNames {
		lz := strings.ToLower(z)
		d := min(editDistance(key, lz[strings.LastIndex(lz, "/")+1:]), editDistance(key, lz))
		if d <= max(1, len([]rune(key))/4) {
			near = append(near, scored{z, d})
		}
	}
	slices.SortStableFunc(near, func(a, b scored) int { return a.d - b.d })
	for _, s := range near {
		add(s.zone)
	}
	return out
}

// zonesAtOffset lists well-known zones at the offset m (from offsetRe)
// right now.
func zonesAtOffset(m []string, now time.Time) []string {
	h, _ := strconv.Atoi(m[2])
	mins, _ := strconv.Atoi(m[3])
	want := h*3600 + mins*60
	if m[1] != "+" {
		want = -want
	}
	var out []string
	for _, z := range popularZones {
		loc, err := time.LoadLocation(z)
		if err != nil {
			continue
		}
		if _, off := now.In(loc).Zone(); off == want {
			out = append(out, z)
			if len(out) == 3 {
				break
			}
		}
	}
	return out
}

// changesForSummer reports whether loc's offset changes within the year
// around now.
func changesForSummer(loc *time.Location, now time.Time) bool {
	_, jan := time.Date(now.Year(), 1, 1, 12, 0, 0, 0, loc).Zone()
	_, jul := time.Date(now.Year(), 7, 1, 12, 0, 0, 0, loc).Zone()
	return jan != jul
}

// utcOffset writes loc's offset at t as UTC−5 or UTC+5:30.
func utcOffset(loc *time.Location, t time.Time) string {
	_, off := t.In(loc).Zone()
	sign := "+"
	if off < 0 {
		sign, off = "−", -off
	}
	s := fmt.Sprintf("UTC%s%d", sign, off/3600)
	if m := off % 3600 / 60; m != 0 {
		s += fmt.Sprintf(":%02d", m)
	}
	return s
}

// cityOf names the place of a zone: America/New_York is New York.
func cityOf(zone string) string {
	return strings.ReplaceAll(zone[strings.LastIndex(zone, "/")+1:], "_", " ")
}

// orList joins names as "A", "A or B", "A, B or C".
func orList(p *lang.Printer, names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + p.T("words.or") + " " + names[len(names)-1]
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
