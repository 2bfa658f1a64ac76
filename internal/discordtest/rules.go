package discordtest

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits from Discord's documentation (Message, Embed, Component and
// Application Command resources). The OpenAPI spec lacks most of them, so
// they are enforced here by hand.
const (
	maxContent          = 2000
	maxEmbeds           = 10
	maxEmbedTitle       = 256
	maxEmbedDescription = 4096
	maxEmbedFields      = 25
	maxEmbedFieldName   = 256
	maxEmbedFieldValue  = 1024
	maxEmbedFooter      = 2048
	maxEmbedAuthor      = 256
	maxEmbedTotal       = 6000
	maxActionRows       = 5
	maxRowButtons       = 5
	maxCustomID         = 100
	maxButtonLabel      = 80
	maxSelectOptions    = 25
	maxPlaceholder      = 150
	maxCommands         = 100
	maxCommandOptions   = 25
	maxChoices          = 25
	maxCommandName      = 32
	maxDescription      = 100
	maxChoiceName       = 100
	maxChoiceString     = 100
	maxModalTitle       = 45
	maxComponentsV2     = 40   // components in a message, nested ones included
	maxTextDisplayTotal = 4000 // characters across a message's Text Displays
)

// commandName is Discord's CHAT_INPUT name pattern. Discord's docs add the
// Devanagari and Thai scripts explicitly because their combining marks are
// not letters.
var commandName = regexp.MustCompile(`^[-_\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

// formErrors accumulates field errors into Discord's nested error tree.
type formErrors struct {
	tree map[string]any
}

func (fe *formErrors) add(path, code, msg string) {
	if fe.tree == nil {
		fe.tree = map[string]any{}
	}
	node := fe.tree
	if path != "" {
		for _, p := range strings.Split(path, ".") {
			next, ok := node[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				node[p] = next
			}
			node = next
		}
	}
	errs, _ := node["_errors"].([]fieldError)
	node["_errors"] = append(errs, fieldError{Code: code, Message: msg})
}

func (fe *formErrors) maxLen(path string, n, limit int) {
	if n > limit {
		fe.add(path, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", limit))
	}
}

func (fe *formErrors) rangeLen(path string, n, lo, hi int) {
	if n < lo || n > hi {
		fe.add(path, "BASE_TYPE_BAD_LENGTH", fmt.Sprintf("Must be between %d and %d in length.", lo, hi))
	}
}

func (fe *formErrors) required(path string) {
	fe.add(path, "BASE_TYPE_REQUIRED", "This field is required")
}

func (fe *formErrors) apiError() *APIError {
	if len(fe.tree) == 0 {
		return nil
	}
	return &APIError{Status: http.StatusBadRequest, Code: 50035, Message: "Invalid Form Body", Errors: fe.tree}
}

// Errors Discord returns that are not form errors.
func errEmptyMessage() *APIError {
	return &APIError{Status: http.StatusBadRequest, Code: 50006, Message: "Cannot send an empty message"}
}
func errUnauthorized() *APIError {
	return &APIError{Status: http.StatusUnauthorized, Code: 0, Message: "401: Unauthorized"}
}
func errNotFound() *APIError {
	return &APIError{Status: http.StatusNotFound, Code: 0, Message: "404: Not Found"}
}
func errMethodNotAllowed() *APIError {
	return &APIError{Status: http.StatusMethodNotAllowed, Code: 0, Message: "405: Method Not Allowed"}
}
func errAlreadyAcked() *APIError {
	return &APIError{Status: http.StatusBadRequest, Code: 40060, Message: "Interaction has already been acknowledged."}
}
func errUnknownInteraction() *APIError {
	return &APIError{Status: http.StatusNotFound, Code: 10062, Message: "Unknown interaction"}
}
func errUnknownWebhook() *APIError {
	return &APIError{Status: http.StatusNotFound, Code: 10015, Message: "Unknown Webhook"}
}
func errInvalidWebhookToken() *APIError {
	return &APIError{Status: http.StatusUnauthorized, Code: 50027, Message: "Invalid Webhook Token"}
}
func errUnknownMessage() *APIError {
	return &APIError{Status: http.StatusNotFound, Code: 10008, Message: "Unknown Message"}
}
func errCannotDM() *APIError {
	return &APIError{Status: http.StatusForbidden, Code: 50007, Message: "Cannot send messages to this user"}
}
func errMissingAccess() *APIError {
	return &APIError{Status: http.StatusForbidden, Code: 50001, Message: "Missing Access"}
}
func errMissingPermissions() *APIError {
	return &APIError{Status: http.StatusForbidden, Code: 50013, Message: "Missing Permissions"}
}

// errTooManyFollowups: Discord documents the limit of follow-ups for a
// user-installed app (see maxUserInstallFollowups) but not the error code
// it answers with, so the fake uses the general code 0.
func errTooManyFollowups() *APIError {
	return &APIError{Status: http.StatusBadRequest, Code: 0, Message: fmt.Sprintf("A user-installed app may create at most %d follow-up messages per interaction", maxUserInstallFollowups)}
}
func errInvalidJSON() *APIError {
	return &APIError{Status: http.StatusBadRequest, Code: 50109, Message: "The request body contains invalid JSON."}
}

// runes counts characters as Discord does (code points, not bytes).
func runes(v any) int {
	s, _ := v.(string)
	return utf8.RuneCountInString(s)
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }
func asList(v any) []any         { l, _ := v.([]any); return l }
func asString(v any) string      { s, _ := v.(string); return s }
func asInt(v any) (int, bool) {
	switch n := v.(type) {
	case float64:
		if n == float64(int(n)) {
			return int(n), true
		}
	case string: // Discord accepts numeric strings for many integer fields
		i, err := strconv.Atoi(n)
		return i, err == nil
	}
	return 0, false
}

// messageCheck says how validateMessage treats a body.
type messageCheck struct {
	create   bool // a new message: must not be empty
	hasFiles bool // files were uploaded with it
	// componentsV2: the message being edited was sent with
	// IS_COMPONENTS_V2, so the edit is held to its rules and may not drop
	// the flag.
	componentsV2 bool
}

// validateMessage checks a message body (create or edit) under prefix
// ("data" for interaction callbacks) and returns the first error Discord
// would give: a 50035 form error or a 50006 empty message.
func validateMessage(body map[string]any, prefix string, c messageCheck) *APIError {
	var fe formErrors
	p := func(parts ...string) string { return joinPath(append([]string{prefix}, parts...)...) }

	if v, ok := body["content"]; ok && v != nil {
		if _, isStr := v.(string); !isStr {
			fe.add(p("content"), "BASE_TYPE_STRING", "Must be a string.")
		}
		fe.maxLen(p("content"), runes(v), maxContent)
	}
	embeds := asList(body["embeds"])
	fe.maxLen(p("embeds"), len(embeds), maxEmbeds)
	total := 0
	for i, e := range embeds {
		total += validateEmbed(&fe, asMap(e), p("embeds", strconv.Itoa(i)))
	}
	if total > maxEmbedTotal {
		fe.add(p("embeds"), "MAX_EMBED_SIZE_EXCEEDED", fmt.Sprintf("Embed size exceeds maximum size of %d", maxEmbedTotal))
	}
	flags, hasFlags := asInt(body["flags"])
	switch {
	case c.componentsV2 && hasFlags && flags&messageFlagIsComponentsV2 == 0:
		fe.add(p("flags"), "MESSAGE_CANNOT_REMOVE_COMPONENTS_V2_FLAG", "The IS_COMPONENTS_V2 flag cannot be removed from a message")
	case c.componentsV2 || flags&messageFlagIsComponentsV2 != 0:
		validateComponentsV2(&fe, body, p)
	default:
		validateComponents(&fe, asList(body["components"]), p("components"))
	}
	if err := fe.apiError(); err != nil {
		return err
	}
	if c.create && asString(body["content"]) == "" && len(embeds) == 0 &&
		len(asList(body["components"])) == 0 && !c.hasFiles &&
		len(asList(body["attachments"])) == 0 && len(asList(body["sticker_ids"])) == 0 && body["poll"] == nil {
		return errEmptyMessage()
	}
	return nil
}

// validateEmbed checks one embed and returns its character count towards
// the 6000 total.
func validateEmbed(fe *formErrors, e map[string]any, path string) int {
	if e == nil {
		fe.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
		return 0
	}
	total := 0
	count := func(field string, v any, limit int) {
		n := runes(v)
		fe.maxLen(joinPath(path, field), n, limit)
		total += n
	}
	count("title", e["title"], maxEmbedTitle)
	count("description", e["description"], maxEmbedDescription)
	fields := asList(e["fields"])
	fe.maxLen(joinPath(path, "fields"), len(fields), maxEmbedFields)
	for i, f := range fields {
		fm := asMap(f)
		fp := joinPath(path, "fields", strconv.Itoa(i))
		for _, k := range []string{"name", "value"} {
			if asString(fm[k]) == "" {
				fe.required(joinPath(fp, k))
			}
		}
		n, v := runes(fm["name"]), runes(fm["value"])
		fe.maxLen(joinPath(fp, "name"), n, maxEmbedFieldName)
		fe.maxLen(joinPath(fp, "value"), v, maxEmbedFieldValue)
		total += n + v
	}
	if footer := asMap(e["footer"]); footer != nil {
		n := runes(footer["text"])
		fe.maxLen(joinPath(path, "footer", "text"), n, maxEmbedFooter)
		total += n
	}
	if author := asMap(e["author"]); author != nil {
		n := runes(author["name"])
		fe.maxLen(joinPath(path, "author", "name"), n, maxEmbedAuthor)
		total += n
	}
	return total
}

// Component types and button styles.
const (
	componentActionRow   = 1
	componentButton      = 2
	componentSelect      = 3
	componentSection     = 9
	componentTextDisplay = 10
	componentContainer   = 17
	buttonLink           = 5
	buttonPremium        = 6
)

// validateComponents checks the top-level components of a (non
// components-v2) message: up to 5 action rows, each holding up to 5 buttons
// or one select menu, with custom ids unique within the message.
func validateComponents(fe *formErrors, rows []any, path string) {
	fe.maxLen(path, len(rows), maxActionRows)
	seen := map[string]bool{}
	for i, r := range rows {
		row := asMap(r)
		rp := joinPath(path, strconv.Itoa(i))
		if t, _ := asInt(row["type"]); t != componentActionRow {
			fe.add(joinPath(rp, "type"), "COMPONENT_TYPE_INVALID", "Top-level components must be action rows")
			continue
		}
		validateActionRow(fe, row, rp, seen)
	}
}

// validateActionRow checks one action row: up to 5 buttons or one select
// menu. It returns how many components the row holds.
func validateActionRow(fe *formErrors, row map[string]any, path string, seen map[string]bool) int {
	children := asList(row["components"])
	if len(children) == 0 {
		fe.add(joinPath(path, "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
	}
	fe.maxLen(joinPath(path, "components"), len(children), maxRowButtons)
	selects := 0
	for j, c := range children {
		cm := asMap(c)
		cp := joinPath(path, "components", strconv.Itoa(j))
		t, _ := asInt(cm["type"])
		switch {
		case t == componentButton:
			validateButton(fe, cm, cp, seen)
		case t == componentSelect || (t >= 5 && t <= 8):
			selects++
			validateSelect(fe, cm, cp, t, seen)
		default:
			fe.add(joinPath(cp, "type"), "COMPONENT_TYPE_INVALID", fmt.Sprintf("Component type %d is not allowed in an action row", t))
		}
	}
	if selects > 0 && len(children) > 1 {
		fe.add(joinPath(path, "components"), "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "The specified component exceeds the maximum width")
	}
	return len(children)
}

// validateComponentsV2 checks a message sent with IS_COMPONENTS_V2 against
// the limits of Discord's component reference that the spec does not
// state (the spec checks each component's shape and which may nest where):
// no content, embeds, poll or stickers (Text Displays replace them); at
// most 40 components counting nested ones; at most 4000 characters across
// all Text Displays; and, as in any message, the rules of action rows and
// buttons, wherever they sit, with custom ids unique in the message.
func validateComponentsV2(fe *formErrors, body map[string]any, p func(...string) string) {
	for _, field := range []string{"content", "embeds", "poll", "sticker_ids"} {
		if !isEmpty(body[field]) {
			fe.add(p(field), "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
				fmt.Sprintf("The '%s' field cannot be used when using MessageFlags.IS_COMPONENTS_V2", field))
		}
	}
	w := v2Walk{fe: fe, seen: map[string]bool{}}
	for i, c := range asList(body["components"]) {
		w.component(asMap(c), p("components", strconv.Itoa(i)))
	}
	if w.count > maxComponentsV2 {
		fe.add(p("components"), "MESSAGE_COMPONENTS_TOTAL_EXCEEDED",
			fmt.Sprintf("A message can have at most %d components, nested ones included; this one has %d", maxComponentsV2, w.count))
	}
	if w.text > maxTextDisplayTotal {
		fe.add(p("components"), "MESSAGE_TEXT_DISPLAY_TOTAL_EXCEEDED",
			fmt.Sprintf("Text Displays can hold at most %d characters in total; these hold %d", maxTextDisplayTotal, w.text))
	}
}

// v2Walk visits a components-v2 tree, counting components and text.
type v2Walk struct {
	fe    *formErrors
	seen  map[string]bool // custom ids
	count int             // components, nested ones included
	text  int             // characters in Text Displays
}

func (w *v2Walk) component(c map[string]any, path string) {
	w.count++
	t, _ := asInt(c["type"])
	switch t {
	case componentActionRow:
		w.count += validateActionRow(w.fe, c, path, w.seen)
	case componentButton: // a Section's accessory
		validateButton(w.fe, c, path, w.seen)
	case componentTextDisplay:
		w.text += runes(c["content"])
	case componentSection:
		for i, child := range asList(c["components"]) {
			w.component(asMap(child), joinPath(path, "components", strconv.Itoa(i)))
		}
		if acc := asMap(c["accessory"]); acc != nil {
			w.component(acc, joinPath(path, "accessory"))
		}
	case componentContainer:
		for i, child := range asList(c["components"]) {
			w.component(asMap(child), joinPath(path, "components", strconv.Itoa(i)))
		}
	}
}

// isEmpty reports whether a JSON value says nothing: absent, null, "", [].
func isEmpty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case []any:
		return len(v) == 0
	}
	return false
}

func validateCustomID(fe *formErrors, c map[string]any, path string, seen map[string]bool) {
	id, present := c["custom_id"]
	if !present || asString(id) == "" {
		fe.required(joinPath(path, "custom_id"))
		return
	}
	fe.maxLen(joinPath(path, "custom_id"), runes(id), maxCustomID)
	if seen[asString(id)] {
		fe.add(joinPath(path, "custom_id"), "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated")
	}
	seen[asString(id)] = true
}

func validateButton(fe *formErrors, b map[string]any, path string, seen map[string]bool) {
	style, ok := asInt(b["style"])
	if !ok || style < 1 || style > 6 {
		fe.add(joinPath(path, "style"), "BASE_TYPE_CHOICES", "Value must be one of (1, 2, 3, 4, 5, 6).")
		return
	}
	fe.maxLen(joinPath(path, "label"), runes(b["label"]), maxButtonLabel)
	switch style {
	case buttonLink:
		if asString(b["url"]) == "" {
			fe.required(joinPath(path, "url"))
		}
		if _, has := b["custom_id"]; has {
			fe.add(joinPath(path, "custom_id"), "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED", "A link button cannot have a custom id")
		}
	case buttonPremium:
		if asString(b["sku_id"]) == "" {
			fe.required(joinPath(path, "sku_id"))
		}
	default:
		if _, has := b["url"]; has {
			fe.add(joinPath(path, "url"), "BUTTON_COMPONENT_URL_NOT_ALLOWED", "Only link buttons can have a url")
		}
		validateCustomID(fe, b, path, seen)
	}
}

func validateSelect(fe *formErrors, s map[string]any, path string, t int, seen map[string]bool) {
	validateCustomID(fe, s, path, seen)
	fe.maxLen(joinPath(path, "placeholder"), runes(s["placeholder"]), maxPlaceholder)
	if t == componentSelect {
		opts := asList(s["options"])
		if len(opts) == 0 {
			fe.required(joinPath(path, "options"))
		}
		fe.maxLen(joinPath(path, "options"), len(opts), maxSelectOptions)
	}
}

// validateModal checks callback type 9 data.
func validateModal(data map[string]any) *APIError {
	var fe formErrors
	if asString(data["title"]) == "" {
		fe.required("data.title")
	}
	fe.maxLen("data.title", runes(data["title"]), maxModalTitle)
	if asString(data["custom_id"]) == "" {
		fe.required("data.custom_id")
	}
	fe.maxLen("data.custom_id", runes(data["custom_id"]), maxCustomID)
	rows := asList(data["components"])
	if len(rows) == 0 {
		fe.required("data.components")
	}
	fe.maxLen("data.components", len(rows), maxActionRows)
	return fe.apiError()
}

// validateChoices checks autocomplete choices (callback type 8).
func validateChoices(fe *formErrors, choices []any, path string) {
	fe.maxLen(path, len(choices), maxChoices)
	for i, c := range choices {
		cm := asMap(c)
		cp := joinPath(path, strconv.Itoa(i))
		fe.rangeLen(joinPath(cp, "name"), runes(cm["name"]), 1, maxChoiceName)
		if s, ok := cm["value"].(string); ok {
			fe.maxLen(joinPath(cp, "value"), utf8.RuneCountInString(s), maxChoiceString)
		} else if cm["value"] == nil {
			fe.required(joinPath(cp, "value"))
		}
	}
}

// Application command and option types.
const (
	commandChatInput    = 1
	commandUser         = 2
	commandMessage      = 3
	commandEntryPoint   = 4
	optionSubcommand    = 1
	optionGroup         = 2
	optionLastValidType = 11 // ATTACHMENT
)

// validateCommands checks a bulk-overwrite body: an array of up to 100
// commands with valid, unique names, descriptions and options.
func validateCommands(body any) *APIError {
	var fe formErrors
	list, ok := body.([]any)
	if !ok {
		fe.add("", "BASE_TYPE_ARRAY", "Must be an array.")
		return fe.apiError()
	}
	fe.maxLen("", len(list), maxCommands)
	names := map[string]bool{}
	for i, c := range list {
		cm := asMap(c)
		cp := strconv.Itoa(i)
		if cm == nil {
			fe.add(cp, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
			continue
		}
		t := commandChatInput
		if v, has := cm["type"]; has && v != nil {
			t, _ = asInt(v)
		}
		name := asString(cm["name"])
		key := strconv.Itoa(t) + "/" + name
		if names[key] {
			fe.add(joinPath(cp, "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME", fmt.Sprintf("Application command names must be unique: %s", name))
		}
		names[key] = true
		switch t {
		case commandChatInput:
			validateName(&fe, name, joinPath(cp, "name"))
			fe.rangeLen(joinPath(cp, "description"), runes(cm["description"]), 1, maxDescription)
			validateLocalizations(&fe, cm, cp, maxDescription)
			validateOptions(&fe, asList(cm["options"]), joinPath(cp, "options"), 0)
		case commandUser, commandMessage:
			fe.rangeLen(joinPath(cp, "name"), runes(name), 1, maxCommandName)
			if asString(cm["description"]) != "" {
				fe.add(joinPath(cp, "description"), "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION", "Context menu commands cannot have description")
			}
			if len(asList(cm["options"])) > 0 {
				fe.add(joinPath(cp, "options"), "APPLICATION_COMMAND_CONTEXT_MENU_OPTIONS", "Context menu commands cannot have options")
			}
		case commandEntryPoint:
			validateName(&fe, name, joinPath(cp, "name"))
		default:
			fe.add(joinPath(cp, "type"), "BASE_TYPE_CHOICES", "Value must be one of (1, 2, 3, 4).")
		}
	}
	return fe.apiError()
}

func validateName(fe *formErrors, name, path string) {
	switch {
	case !commandName.MatchString(name):
		fe.add(path, "APPLICATION_COMMAND_INVALID_NAME", fmt.Sprintf("Command name is invalid: %q must match ^[-_\\p{L}\\p{N}]{1,32}$", name))
	case strings.ToLower(name) != name:
		fe.add(path, "APPLICATION_COMMAND_INVALID_NAME", fmt.Sprintf("Command name is invalid: %q must be lowercase", name))
	}
}

// discordLocales are the locale codes Discord accepts as keys of
// name_localizations and description_localizations.
var discordLocales = map[string]bool{
	"id": true, "da": true, "de": true, "en-GB": true, "en-US": true, "es-ES": true, "es-419": true,
	"fr": true, "hr": true, "it": true, "lt": true, "hu": true, "nl": true, "no": true, "pl": true,
	"pt-BR": true, "ro": true, "fi": true, "sv-SE": true, "vi": true, "tr": true, "cs": true, "el": true,
	"bg": true, "ru": true, "uk": true, "hi": true, "th": true, "zh-CN": true, "ja": true, "zh-TW": true, "ko": true,
}

// validateLocalizations checks the name_localizations (and, when
// maxDesc > 0, description_localizations) of a command, option or choice
// (a choice's names are 1-100 characters, not command names): Discord
// locales as keys, each value as its English field must be.
func validateLocalizations(fe *formErrors, m map[string]any, path string, maxDesc int) {
	for _, field := range []string{"name_localizations", "description_localizations"} {
		if field == "description_localizations" && maxDesc == 0 {
			continue
		}
		for locale, v := range asMap(m[field]) {
			lp := joinPath(path, field, locale)
			if !discordLocales[locale] {
				fe.add(lp, "LOCALE_INVALID", fmt.Sprintf("Invalid locale: %q is not a Discord locale", locale))
				continue
			}
			s := asString(v)
			switch {
			case field == "description_localizations":
				fe.rangeLen(lp, utf8.RuneCountInString(s), 1, maxDesc)
			case maxDesc == 0: // a choice
				fe.rangeLen(lp, utf8.RuneCountInString(s), 1, maxChoiceName)
			default:
				validateName(fe, s, lp)
			}
		}
	}
}

// validateOptions checks options at nesting depth 0 (command), 1 (inside a
// subcommand or group) or 2 (inside a subcommand of a group).
func validateOptions(fe *formErrors, opts []any, path string, depth int) {
	fe.maxLen(path, len(opts), maxCommandOptions)
	names := map[string]bool{}
	sawOptional, sawSub, sawValue := false, false, false
	for i, o := range opts {
		om := asMap(o)
		op := joinPath(path, strconv.Itoa(i))
		t, ok := asInt(om["type"])
		if !ok || t < 1 || t > optionLastValidType {
			fe.add(joinPath(op, "type"), "BASE_TYPE_CHOICES", "Value must be one of (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11).")
			continue
		}
		name := asString(om["name"])
		validateName(fe, name, joinPath(op, "name"))
		if names[name] {
			fe.add(joinPath(op, "name"), "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Option names must be unique")
		}
		names[name] = true
		fe.rangeLen(joinPath(op, "description"), runes(om["description"]), 1, maxDescription)
		validateLocalizations(fe, om, op, maxDescription)
		if t == optionSubcommand || t == optionGroup {
			sawSub = true
			if (t == optionGroup && depth > 0) || (t == optionSubcommand && depth > 1) || (depth == 1 && t == optionGroup) {
				fe.add(joinPath(op, "type"), "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Subcommands and groups cannot be nested this way")
				continue
			}
			sub := asList(om["options"])
			if t == optionGroup {
				for j, so := range sub {
					if st, _ := asInt(asMap(so)["type"]); st != optionSubcommand {
						fe.add(joinPath(op, "options", strconv.Itoa(j), "type"), "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Subcommand groups can only contain subcommands")
					}
				}
			}
			validateOptions(fe, sub, joinPath(op, "options"), depth+1)
			continue
		}
		sawValue = true
		required, _ := om["required"].(bool)
		if required && sawOptional {
			fe.add(joinPath(op, "required"), "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options")
		}
		if !required {
			sawOptional = true
		}
		choices := asList(om["choices"])
		fe.maxLen(joinPath(op, "choices"), len(choices), maxChoices)
		for j, c := range choices {
			cm := asMap(c)
			cp := joinPath(op, "choices", strconv.Itoa(j))
			fe.rangeLen(joinPath(cp, "name"), runes(cm["name"]), 1, maxChoiceName)
			validateLocalizations(fe, cm, cp, 0)
			if s, isStr := cm["value"].(string); isStr {
				fe.maxLen(joinPath(cp, "value"), utf8.RuneCountInString(s), maxChoiceString)
			}
		}
	}
	if sawSub && sawValue {
		fe.add(path, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Subcommands and groups cannot be mixed with other option types")
	}
}
