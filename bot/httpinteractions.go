package bot

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// InteractionsPath is where InteractionsHandler is served: the path of the
// application's Interactions Endpoint URL in the developer portal.
const InteractionsPath = "/interactions"

const (
	// maxInteractionBody bounds a request body; Discord's are a few KB.
	maxInteractionBody = 1 << 20
	// maxSignatureAge bounds how old a signed request may be, so a captured
	// request cannot be replayed later (the interaction id check catches
	// replays within the window).
	maxSignatureAge = 5 * time.Minute
)

// ParsePublicKey reads an application's public key as the developer portal
// shows it: 64 hex digits.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("public key: want %d bytes as %d hex digits", ed25519.PublicKeySize, 2*ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(b), nil
}

// InteractionsHandler returns the handler of Discord's outgoing-webhook
// mode, where Discord POSTs each interaction to the application's
// Interactions Endpoint URL instead of sending it on the gateway.
//
// Every request must carry a valid Ed25519 signature of its timestamp and
// body by the application's key (X-Signature-Ed25519,
// X-Signature-Timestamp), made at most five minutes ago; any other gets 401
// and is not handled. Discord checks this when the URL is saved, with a
// PING (answered with PONG) and with forged requests.
//
// Other interactions go through the same code as those from the gateway:
// the initial response is the body of the HTTP response, and what comes
// after it (the edit of a deferred answer, followups) goes over REST. An
// answer with files is deferred and sent as that edit, because Discord
// accepts files only on the REST endpoints. now is the clock for the
// signature's age; nil means time.Now.
func (d *Discord) InteractionsHandler(publicKey ed25519.PublicKey, now func() time.Time) http.Handler {
	if now == nil {
		now = time.Now
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxInteractionBody))
		if err != nil {
			http.Error(w, "body too large or unreadable", http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if !discordgo.VerifyInteraction(r, publicKey) || !freshSignature(r.Header.Get("X-Signature-Timestamp"), now()) {
			d.log.Debug("interaction refused: bad signature", "remote", r.RemoteAddr)
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		var it discordgo.Interaction
		if err := json.Unmarshal(body, &it); err != nil || it.ID == "" {
			http.Error(w, "not an interaction", http.StatusBadRequest)
			return
		}
		if it.Type == discordgo.InteractionPing {
			writeJSON(w, []byte(`{"type":1}`))
			return
		}
		out := &httpResponder{body: make(chan httpAnswer), done: make(chan struct{})}
		handled := make(chan struct{})
		go func() {
			defer close(handled)
			// The handler goes on after the HTTP response (to edit a
			// deferred answer), on the transport's context, not the
			// request's.
			d.handle(&it, out)
		}()
		defer close(out.done)
		select {
		case a := <-out.body:
			if a.final {
				// Only counting and logging are left: wait for them, so
				// whoever sees this answer also sees it in Stats.
				<-handled
			}
			writeJSON(w, a.body)
		case <-handled:
			// Not handled: shutting down, or an interaction id seen before.
			http.Error(w, "interaction not handled", http.StatusServiceUnavailable)
		case <-r.Context().Done():
		}
	})
}

// freshSignature reports whether a signature timestamp (Unix seconds) is
// within maxSignatureAge of now, either way.
func freshSignature(ts string, now time.Time) bool {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	age := now.Sub(time.Unix(sec, 0))
	return age <= maxSignatureAge && age >= -maxSignatureAge
}

func writeJSON(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

// httpResponder hands the initial response to the HTTP handler, which
// writes it as the response body.
type httpResponder struct {
	body chan httpAnswer
	done chan struct{} // closed when the HTTP handler has returned
}

// httpAnswer is an initial response; final is false for a deferral, whose
// answer follows over REST while the HTTP response is already sent.
type httpAnswer struct {
	body  []byte
	final bool
}

func (h *httpResponder) respond(ctx context.Context, body callbackPayload, files []*discordgo.File) error {
	if len(files) > 0 {
		return errors.New("an HTTP interaction response cannot carry files")
	}
	b, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("encode interaction response: %w", err)
	}
	final := body.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource && body.Type != discordgo.InteractionResponseDeferredMessageUpdate
	select {
	case h.body <- httpAnswer{b, final}:
		return nil
	case <-h.done:
		return errors.New("the HTTP request ended before the interaction was answered")
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (*httpResponder) filesOK() bool { return false }
