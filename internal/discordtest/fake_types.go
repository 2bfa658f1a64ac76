package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Request is one REST request the fake received, whatever its outcome.
type Request struct {
	Time   time.Time // fake clock
	Method string
	// Path is the path below the API version prefix, e.g.
	// "/channels/42/messages"; Route is its template,
	// "/channels/{channel_id}/messages" ("" for unknown routes).
	Path, Route string
	Query       url.Values
	Header      http.Header
	// Body is the parsed JSON body (payload_json for multipart requests), or
	// nil when there was none. Objects are map[string]any.
	Body  any
	Files []File
	// Status is the HTTP status the fake answered with.
	Status int
	// Error is the error body when the request was rejected (4xx/5xx).
	Error *APIError
}

// File is one file attachment of a multipart/form-data request.
type File struct {
	Field       string // form field, "files[0]"
	Name        string // file name
	ContentType string
	Data        []byte
}

// APIError is Discord's JSON error body. Errors, for code 50035 "Invalid Form
// Body", is the nested tree Discord returns: keys are field names or array
// indexes and leaves are {"_errors":[{"code":..., "message":...}]}.
type APIError struct {
	Status     int            `json:"-"`
	Code       int            `json:"code"`
	Message    string         `json:"message"`
	Errors     map[string]any `json:"errors,omitempty"`
	RetryAfter *float64       `json:"retry_after,omitempty"`
	Global     *bool          `json:"global,omitempty"`
}

// Error implements error with the status, code, message and each field error.
func (e *APIError) Error() string {
	s := fmt.Sprintf("%d %s (code %d)", e.Status, e.Message, e.Code)
	for _, d := range e.Details() {
		s += "; " + d
	}
	return s
}

// Details flattens Errors into "path: CODE message" lines, sorted.
func (e *APIError) Details() []string {
	var out []string
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			if k == "_errors" {
				for _, fe := range v.([]fieldError) {
					out = append(out, fmt.Sprintf("%s: %s %s", prefix, fe.Code, fe.Message))
				}
				continue
			}
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			if sub, ok := v.(map[string]any); ok {
				walk(p, sub)
			}
		}
	}
	walk("", e.Errors)
	sort.Strings(out)
	return out
}

type fieldError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Rejection is a request the fake refused because the bot did something
// Discord would refuse: an invalid body, a missing token, a late or second
// interaction response and so on. Injected faults (FailNext) and rate limits
// (see RateLimited) are not rejections.
type Rejection struct {
	Time         time.Time
	Method, Path string
	Err          *APIError
}

// String formats the rejection for test failure messages.
func (r Rejection) String() string {
	return fmt.Sprintf("%s %s: %v", r.Method, r.Path, r.Err)
}

// Message is a message as the bot sent or edited it.
type Message struct {
	ID            string       `json:"id"`
	ChannelID     string       `json:"channel_id"`
	Content       string       `json:"content"`
	Flags         int          `json:"flags"`
	Embeds        []Embed      `json:"embeds"`
	Components    []Component  `json:"components"`
	Attachments   []Attachment `json:"attachments"`
	InteractionID string       `json:"-"` // set for interaction responses and followups
	// Files are the files uploaded with the message (most recent upload).
	Files []File `json:"-"`
}

// Ephemeral reports whether the EPHEMERAL flag (64) is set.
func (m Message) Ephemeral() bool { return m.Flags&64 != 0 }

// ComponentsV2 reports whether the IS_COMPONENTS_V2 flag (1<<15) is set.
func (m Message) ComponentsV2() bool { return m.Flags&messageFlagIsComponentsV2 != 0 }

// Embed is a message embed (the fields the fake validates and tests read).
type Embed struct {
	Type        string       `json:"type,omitempty"`
	Title       string       `json:"title,omitempty"`
	Description string       `json:"description,omitempty"`
	URL         string       `json:"url,omitempty"`
	Color       int          `json:"color,omitempty"`
	Fields      []EmbedField `json:"fields,omitempty"`
	Footer      *EmbedFooter `json:"footer,omitempty"`
	Author      *EmbedAuthor `json:"author,omitempty"`
	Image       *EmbedImage  `json:"image,omitempty"`
	Thumbnail   *EmbedImage  `json:"thumbnail,omitempty"`
	Timestamp   string       `json:"timestamp,omitempty"`
	Provider    *EmbedFooter `json:"provider,omitempty"`
	Video       *EmbedImage  `json:"video,omitempty"`
}

// EmbedField is one field of an embed.
type EmbedField struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Inline bool   `json:"inline,omitempty"`
}

// EmbedFooter is an embed's footer.
type EmbedFooter struct {
	Text    string `json:"text,omitempty"`
	IconURL string `json:"icon_url,omitempty"`
	Name    string `json:"name,omitempty"`
}

// EmbedAuthor is an embed's author.
type EmbedAuthor struct {
	Name    string `json:"name,omitempty"`
	URL     string `json:"url,omitempty"`
	IconURL string `json:"icon_url,omitempty"`
}

// EmbedImage is an embed's image, thumbnail or video.
type EmbedImage struct {
	URL string `json:"url,omitempty"`
}

// Component is a message component: an action row (type 1) holding buttons
// (type 2) or a select menu (types 3, 5-8), or a text input (type 4).
type Component struct {
	Type        int              `json:"type"`
	CustomID    string           `json:"custom_id,omitempty"`
	Style       int              `json:"style,omitempty"`
	Label       string           `json:"label,omitempty"`
	URL         string           `json:"url,omitempty"`
	Disabled    bool             `json:"disabled,omitempty"`
	Placeholder string           `json:"placeholder,omitempty"`
	Options     []map[string]any `json:"options,omitempty"`
	Components  []Component      `json:"components,omitempty"`

	// Components V2 (message flag IS_COMPONENTS_V2).
	Content     string      `json:"content,omitempty"`      // Text Display
	Accessory   *Component  `json:"accessory,omitempty"`    // Section: a Thumbnail or a Button
	Media       *Media      `json:"media,omitempty"`        // Thumbnail
	Description string      `json:"description,omitempty"`  // Thumbnail: alt text
	Items       []MediaItem `json:"items,omitempty"`        // Media Gallery
	File        *Media      `json:"file,omitempty"`         // File
	AccentColor *int        `json:"accent_color,omitempty"` // Container
	Spoiler     bool        `json:"spoiler,omitempty"`
	Divider     *bool       `json:"divider,omitempty"` // Separator
	Spacing     int         `json:"spacing,omitempty"` // Separator
}

// Media is a picture or file a V2 component shows: a URL, or
// attachment://name for a file uploaded with the message.
type Media struct {
	URL string `json:"url"`
}

// MediaItem is one picture of a Media Gallery, with its alt text.
type MediaItem struct {
	Media       Media  `json:"media"`
	Description string `json:"description,omitempty"`
	Spoiler     bool   `json:"spoiler,omitempty"`
}

// Attachment is an attachment entry of a message body.
type Attachment struct {
	ID       json.Number `json:"id"`
	Filename string      `json:"filename,omitempty"`
}

// ReplyKind says which endpoint a Reply came through.
type ReplyKind string

// Reply kinds.
const (
	KindCallback       ReplyKind = "callback"        // POST /interactions/{id}/{token}/callback
	KindEditOriginal   ReplyKind = "edit-original"   // PATCH /webhooks/{app}/{token}/messages/@original
	KindDeleteOriginal ReplyKind = "delete-original" // DELETE /webhooks/{app}/{token}/messages/@original
	KindFollowup       ReplyKind = "followup"        // POST /webhooks/{app}/{token}
	KindEditFollowup   ReplyKind = "edit-followup"   // PATCH /webhooks/{app}/{token}/messages/{id}
	KindDeleteFollowup ReplyKind = "delete-followup" // DELETE /webhooks/{app}/{token}/messages/{id}
)

// Interaction callback types.
const (
	CallbackPong               = 1
	CallbackChannelMessage     = 4
	CallbackDeferredMessage    = 5
	CallbackDeferredUpdate     = 6
	CallbackUpdateMessage      = 7
	CallbackAutocompleteResult = 8
	CallbackModal              = 9
	messageFlagIsComponentsV2  = 32768
)

// Reply is one accepted answer of the bot to an interaction.
type Reply struct {
	Kind          ReplyKind
	InteractionID string
	Time          time.Time // fake clock
	// Type is the callback type (4 channel message, 5 deferred, 6 deferred
	// update, 7 update message, 8 autocomplete result, 9 modal); zero for
	// webhook replies.
	Type int
	// Message is the message data sent (for edits: the message after the
	// edit; for deletes: the deleted message).
	Message Message
	// Choices are the autocomplete choices (type 8).
	Choices []Choice
	// Modal is the modal data (type 9) as sent.
	Modal map[string]any
}

// Ephemeral reports whether the reply's message has the EPHEMERAL flag.
func (r Reply) Ephemeral() bool { return r.Message.Ephemeral() }

// Choice is an autocomplete or command option choice.
type Choice struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// joinPath formats a validation path like Discord: "data.embeds.0.title".
func joinPath(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}
