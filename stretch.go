package stretchbot

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stretchbot/stretchbot/lang"
)

// Position is where a stretch can be done.
type Position string

// Positions a stretch can be done in.
const (
	PositionFloor    Position = "floor"
	PositionBed      Position = "bed"
	PositionChair    Position = "chair"
	PositionStanding Position = "standing"
)

// Equipment is what a stretch needs.
type Equipment string

// Equipment a stretch may need. EquipmentStrap covers a towel, belt or strap.
const (
	EquipmentNone  Equipment = "none"
	EquipmentStrap Equipment = "strap"
	EquipmentBall  Equipment = "ball"
	EquipmentChair Equipment = "chair"
	// EquipmentAll is not something a stretch needs: as a choice it means
	// "show me everything, whatever it needs".
	EquipmentAll Equipment = "all"
)

var (
	allPositions = []Position{PositionFloor, PositionBed, PositionChair, PositionStanding}
	allEquipment = []Equipment{EquipmentNone, EquipmentStrap, EquipmentBall, EquipmentChair}
)

// Stretch is one entry of the catalogue.
type Stretch struct {
	ID           string      `json:"id"`
	Name         string      `json:"name"`
	Summary      string      `json:"summary"`
	VariantOf    string      `json:"variant_of,omitempty"`    // the base stretch this is a variant of
	VariantLabel string      `json:"variant_label,omitempty"` // button label for the variant
	Positions    []Position  `json:"positions"`
	Equipment    []Equipment `json:"equipment"`
	// Safety flags, each with a one-line reason a reviewer can check
	// against the steps. Catalog.Offer filters by them (CHECKIN.md, "Which
	// stretches each person is offered").
	SpasmSafe        bool     `json:"spasm_safe"` // gentle enough to do during a spasm
	SpasmSafeWhy     string   `json:"spasm_safe_why"`
	LoadedFlexion    bool     `json:"loaded_flexion"` // bends the spine forward under load
	LoadedFlexionWhy string   `json:"loaded_flexion_why"`
	Twist            bool     `json:"twist"` // twists the spine
	TwistWhy         string   `json:"twist_why"`
	HoldMin          int      `json:"hold_min_seconds"`
	HoldMax          int      `json:"hold_max_seconds"`
	PerSide          bool     `json:"per_side"`
	Steps            []string `json:"steps"`
	Breathing        string   `json:"breathing"`
	Cautions         []string `json:"cautions"`
}

// HoldText describes the hold, e.g. "at least 15–30 seconds on each side,
// longer if it feels good": the range is a minimum, and a longer hold is
// better for a muscle that is letting go.
func (s Stretch) HoldText(p *lang.Printer) string {
	secs := p.N("stretch.hold.range", s.HoldMax, "Min", s.HoldMin)
	if s.HoldMin == s.HoldMax {
		secs = Count(p, s.HoldMin, NounSecond)
	}
	if s.PerSide {
		return p.T("stretch.hold.text_per_side", "Seconds", secs)
	}
	return p.T("stretch.hold.text", "Seconds", secs)
}

// Sides is how many holds the stretch takes: 2 for per-side stretches.
func (s Stretch) Sides() int {
	if s.PerSide {
		return 2
	}
	return 1
}

// About is general content for help text: causes of spasms and when to see a
// doctor, in our own words.
type About struct {
	Intro       string   `json:"intro"`
	DuringSpasm string   `json:"during_spasm"`
	Causes      []string `json:"causes"`
	SeeDoctor   []string `json:"see_doctor"`
	Habits      []string `json:"habits"`
}

// Catalog is the validated set of stretches, in file order.
type Catalog struct {
	Stretches []Stretch
	About     About
	byID      map[string]int
}

//go:embed stretches.json
var embeddedCatalog []byte

// DefaultCatalog is the catalogue embedded in the binary: the facts of
// each stretch from stretches.json, its English texts from
// lang/messages/en.json (see Stretch.In for the keys). Catalog.In gives it
// in another language.
func DefaultCatalog() (*Catalog, error) {
	return loadCatalog(embeddedCatalog, lang.English())
}

// Limits from Discord's embed rules that catalogue texts must respect,
// since each stretch is rendered as one embed.
const (
	maxNameLen      = 256  // embed title
	maxFieldLen     = 1024 // embed field value
	maxEmbedTextLen = 6000 // all text of one embed
	maxButtonLabel  = 80
	maxIDLen        = 32  // keeps custom_ids well under 100 characters
	maxWhyLen       = 160 // a safety flag's reason is one short line
	minHoldSeconds  = 5
	maxHoldSeconds  = 120
)

// LoadCatalog parses and validates a catalogue file that holds its texts
// itself. Errors name the entry and field at fault, e.g.
// `stretch "knee-hug": hold_max_seconds: ...`.
func LoadCatalog(data []byte) (*Catalog, error) {
	return loadCatalog(data, nil)
}

// loadCatalog parses and validates a catalogue file; with texts, the
// texts come from its messages (stretch.<id>.*, about.*).
func loadCatalog(data []byte, texts *lang.Printer) (*Catalog, error) {
	var file struct {
		Version   int       `json:"version"`
		Stretches []Stretch `json:"stretches"`
		About     About     `json:"about"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("stretches.json: %w", err)
	}
	if file.Version != 1 {
		return nil, fmt.Errorf("stretches.json: version %d is not supported (want 1)", file.Version)
	}
	c := &Catalog{Stretches: file.Stretches, About: file.About, byID: map[string]int{}}
	if texts != nil {
		c = c.In(texts)
	}
	if len(c.Stretches) == 0 {
		return nil, fmt.Errorf("stretches.json: no stretches")
	}
	for i, s := range c.Stretches {
		if _, dup := c.byID[s.ID]; dup {
			return nil, fmt.Errorf("stretches.json: stretch %q: id: used twice", s.ID)
		}
		c.byID[s.ID] = i
	}
	for _, s := range c.Stretches {
		if err := c.validate(s); err != nil {
			return nil, fmt.Errorf("stretches.json: stretch %q: %w", s.ID, err)
		}
	}
	if len(c.About.SeeDoctor) == 0 || len(c.About.Causes) == 0 {
		return nil, fmt.Errorf("stretches.json: about: causes and see_doctor must not be empty")
	}
	return c, nil
}

func (c *Catalog) validate(s Stretch) error {
	if s.ID == "" || len(s.ID) > maxIDLen || strings.Trim(s.ID, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
		return fmt.Errorf("id: must be 1–%d lowercase letters, digits or dashes", maxIDLen)
	}
	if err := checkText("name", s.Name, maxNameLen); err != nil {
		return err
	}
	if err := checkText("summary", s.Summary, maxFieldLen); err != nil {
		return err
	}
	if err := checkText("breathing", s.Breathing, maxFieldLen); err != nil {
		return err
	}
	for _, why := range []struct{ field, text string }{
		{"spasm_safe_why", s.SpasmSafeWhy},
		{"loaded_flexion_why", s.LoadedFlexionWhy},
		{"twist_why", s.TwistWhy},
	} {
		if err := checkText(why.field, why.text, maxWhyLen); err != nil {
			return err
		}
		if strings.Contains(why.text, "\n") {
			return fmt.Errorf("%s: must be one line", why.field)
		}
	}
	if s.HoldMin < minHoldSeconds || s.HoldMax > maxHoldSeconds || s.HoldMin > s.HoldMax {
		return fmt.Errorf("hold_min_seconds/hold_max_seconds: %d–%d is outside %d–%d or reversed", s.HoldMin, s.HoldMax, minHoldSeconds, maxHoldSeconds)
	}
	if len(s.Steps) == 0 {
		return fmt.Errorf("steps: must not be empty")
	}
	if n := len(strings.Join(s.Steps, "\n")) + 8*len(s.Steps); n > maxFieldLen {
		return fmt.Errorf("steps: %d characters together, more than the %d an embed field holds", n, maxFieldLen)
	}
	for i, step := range s.Steps {
		if err := checkText(fmt.Sprintf("steps[%d]", i), step, maxFieldLen); err != nil {
			return err
		}
	}
	if n := len(strings.Join(s.Cautions, "\n")) + 4*len(s.Cautions); n > maxFieldLen {
		return fmt.Errorf("cautions: %d characters together, more than %d", n, maxFieldLen)
	}
	if len(s.Positions) == 0 {
		return fmt.Errorf("positions: must not be empty")
	}
	for _, p := range s.Positions {
		if !slices.Contains(allPositions, p) {
			return fmt.Errorf("positions: unknown position %q", p)
		}
	}
	if len(s.Equipment) == 0 {
		return fmt.Errorf("equipment: must not be empty (use \"none\")")
	}
	for _, e := range s.Equipment {
		if !slices.Contains(allEquipment, e) {
			return fmt.Errorf("equipment: unknown equipment %q", e)
		}
	}
	if s.VariantOf != "" {
		base, ok := c.byID[s.VariantOf]
		if !ok || c.Stretches[base].VariantOf != "" {
			return fmt.Errorf("variant_of: %q is not a base stretch", s.VariantOf)
		}
		if err := checkText("variant_label", s.VariantLabel, maxButtonLabel); err != nil {
			return err
		}
	}
	total := len(s.Name) + len(s.Summary) + len(s.Breathing) + len(strings.Join(s.Steps, "")) + len(strings.Join(s.Cautions, ""))
	if total > maxEmbedTextLen/2 { // leave room for the hold line, countdown and footer
		return fmt.Errorf("texts: %d characters together, too long for one message", total)
	}
	return nil
}

func checkText(field, s string, max int) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("%s: must not be empty", field)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Errorf("%s: %d characters, more than %d", field, n, max)
	}
	return nil
}

// In returns the stretch with its texts in p's language: the messages
// stretch.<id>.name, .summary, .variant_label, .spasm_safe_why,
// .loaded_flexion_why, .twist_why, .breathing, and the numbered lists
// .step.1, .step.2, … and .caution.1, …. A text p has no message for
// (not even in English) stays as it was.
func (s Stretch) In(p *lang.Printer) Stretch {
	key := "stretch." + s.ID + "."
	for _, f := range []struct {
		name string
		dst  *string
	}{
		{"name", &s.Name}, {"summary", &s.Summary}, {"variant_label", &s.VariantLabel},
		{"spasm_safe_why", &s.SpasmSafeWhy}, {"loaded_flexion_why", &s.LoadedFlexionWhy},
		{"twist_why", &s.TwistWhy}, {"breathing", &s.Breathing},
	} {
		if p.Has(key + f.name) {
			*f.dst = p.T(key + f.name)
		}
	}
	s.Steps = textList(p, key+"step.", s.Steps)
	s.Cautions = textList(p, key+"caution.", s.Cautions)
	return s
}

// In returns the texts of the about section in p's language: about.intro,
// about.during_spasm and the lists about.cause.N, about.see_doctor.N,
// about.habit.N.
func (a About) In(p *lang.Printer) About {
	if p.Has("about.intro") {
		a.Intro = p.T("about.intro")
	}
	if p.Has("about.during_spasm") {
		a.DuringSpasm = p.T("about.during_spasm")
	}
	a.Causes = textList(p, "about.cause.", a.Causes)
	a.SeeDoctor = textList(p, "about.see_doctor.", a.SeeDoctor)
	a.Habits = textList(p, "about.habit.", a.Habits)
	return a
}

// textList reads the messages prefix1, prefix2, … up to the first missing
// number; old when there is no prefix1.
func textList(p *lang.Printer, prefix string, old []string) []string {
	if !p.Has(prefix + "1") {
		return old
	}
	var out []string
	for n := 1; p.Has(prefix + strconv.Itoa(n)); n++ {
		out = append(out, p.T(prefix+strconv.Itoa(n)))
	}
	return out
}

// In returns the catalogue with every text in p's language (see
// Stretch.In); the stretches, their order and facts are the same.
func (c *Catalog) In(p *lang.Printer) *Catalog {
	out := &Catalog{Stretches: make([]Stretch, len(c.Stretches)), About: c.About.In(p), byID: c.byID}
	for i, s := range c.Stretches {
		out.Stretches[i] = s.In(p)
	}
	return out
}

// Get returns the stretch with the given id.
func (c *Catalog) Get(id string) (Stretch, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Stretch{}, false
	}
	return c.Stretches[i], true
}

// Variants returns the variants of a base stretch, in file order.
func (c *Catalog) Variants(baseID string) []Stretch {
	var out []Stretch
	for _, s := range c.Stretches {
		if s.VariantOf == baseID {
			out = append(out, s)
		}
	}
	return out
}

// Base returns the base stretch of s (s itself when it is not a variant).
func (c *Catalog) Base(s Stretch) Stretch {
	if b, ok := c.Get(s.VariantOf); ok {
		return b
	}
	return s
}

// Filter is a person's choices for the stretches they are offered: where
// they are, what equipment, spasm-safe only. Matches applies them to the
// catalogue; an offer (Catalog.Offer) also limits the default equipment
// choice to what the person said they have.
type Filter struct {
	Position Position `json:"position,omitempty"`
	// Equipment: "" is the default (an offer keeps it to what the person
	// has; Matches alone allows anything); EquipmentAll is everything;
	// "none" or one item means stretches that need only it, or nothing.
	Equipment Equipment `json:"equipment,omitempty"`
	SpasmSafe bool      `json:"spasm_safe,omitempty"` // only stretches gentle enough during a spasm
}

// ParsePosition reads a position option; "" and "any" mean any.
func ParsePosition(s string) (Position, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || s == "any" {
		return "", nil
	}
	if s == "sitting" || s == "seated" {
		s = string(PositionChair)
	}
	if slices.Contains(allPositions, Position(s)) {
		return Position(s), nil
	}
	return "", Fail(EINVALID, "filter.unknown_position", "Input", strconv.Quote(truncate(s, 20)))
}

// ParseEquipment reads an equipment option: "" is the default (what the
// person has), "all" and "any" are EquipmentAll. Towel and belt count as a
// strap.
func ParseEquipment(s string) (Equipment, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "":
		return "", nil
	case "any", "all":
		return EquipmentAll, nil
	case "towel", "belt":
		return EquipmentStrap, nil
	}
	if slices.Contains(allEquipment, Equipment(s)) {
		return Equipment(s), nil
	}
	return "", Fail(EINVALID, "filter.unknown_equipment", "Input", strconv.Quote(truncate(s, 20)))
}

// Matches reports whether s fits the filter. A stretch fits an equipment
// filter when everything it needs is that equipment (or nothing), because the
// user told us what they have.
func (f Filter) Matches(s Stretch) bool {
	if f.SpasmSafe && !s.SpasmSafe {
		return false
	}
	if f.Position != "" && !slices.Contains(s.Positions, f.Position) {
		return false
	}
	if f.Equipment != "" && f.Equipment != EquipmentAll {
		for _, e := range s.Equipment {
			if e != EquipmentNone && e != f.Equipment {
				return false
			}
		}
	}
	return true
}
