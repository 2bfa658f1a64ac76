package logredact_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/internal/logredact"
)

const token = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OnNlY3JldA"

func TestStringRedactsInteractionAndWebhookTokens(t *testing.T) {
	for _, in := range []string{
		"/api/v9/interactions/123456789012345678/" + token + "/callback",
		"https://discord.com/api/v9/webhooks/987654321/" + token + "/messages/@original",
		"https://discord.com/api/v9/webhooks/987654321/" + token,
		"%2Fapi%2Fv9%2Finteractions%2F1%2F" + token + "%2Fcallback",
	} {
		got := logredact.String(in)
		if strings.Contains(got, token) || !strings.Contains(got, logredact.Redacted) {
			t.Errorf("String(%q) = %q", in, got)
		}
	}
	keep := "/api/v9/channels/123/messages and /interactions without ids"
	if got := logredact.String(keep); got != keep {
		t.Errorf("String changed a URL without a token: %q", got)
	}
}

func TestHandlerRedactsMessagesStringsErrorsAndGroups(t *testing.T) {
	for _, json := range []bool{false, true} {
		var buf bytes.Buffer
		var h slog.Handler = slog.NewTextHandler(&buf, nil)
		if json {
			h = slog.NewJSONHandler(&buf, nil)
		}
		log := slog.New(logredact.Handler(h)).With("endpoint", "/interactions/1/"+token+"/callback")
		// What net/http returns when a callback cannot be sent.
		err := fmt.Errorf("answer interaction: %w", &url.Error{Op: "Post", URL: "https://discord.com/api/v9/interactions/1/" + token + "/callback", Err: errors.New("connection reset")})
		log.Warn("interaction answer failed at /webhooks/2/"+token, "err", err, slog.Group("req", "url", "/webhooks/2/"+token+"/messages/@original"))
		if strings.Contains(buf.String(), token) {
			t.Fatalf("json=%v: the token is in the log:\n%s", json, buf.String())
		}
		if !strings.Contains(buf.String(), "connection reset") {
			t.Fatalf("json=%v: the rest of the error was lost:\n%s", json, buf.String())
		}
	}
}
