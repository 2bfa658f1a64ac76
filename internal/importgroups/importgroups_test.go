package main

import (
	"strings"
	"testing"
)

func TestCheckFile(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // substring of the single problem; "" for none
	}{
		{"std then others", `package p
import (
	"fmt"
	"os"

	"example.com/a"

	"github.com/b/c"
)`, ""},
		{"single import", `package p
import "github.com/b/c"`, ""},
		{"only std", `package p
import (
	"fmt"
	"os"
)`, ""},
		{"comment above an import stays in its group", `package p
import (
	"fmt"
	// why os
	"os"

	"example.com/a"
)`, ""},
		{"project import inside the std group", `package p
import (
	"context"
	"github.com/stretchbot/stretchbot/bot/customid"
	"log/slog"

	"github.com/stretchbot/stretchbot"
)`, "mixes"},
		{"std after others", `package p
import (
	"example.com/a"

	"fmt"
)`, "comes after"},
		{"std split in two groups", `package p
import (
	"fmt"

	"os"
)`, "more than one group"},
		{"std in a second import declaration after others", `package p
import "example.com/a"
import "fmt"`, "comes after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := checkFile("x.go", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == "" {
				if len(got) != 0 {
					t.Fatalf("want no problem, got %q", got)
				}
				return
			}
			if len(got) != 1 || !strings.Contains(got[0], tt.want) {
				t.Fatalf("want one problem containing %q, got %q", tt.want, got)
			}
		})
	}
}
