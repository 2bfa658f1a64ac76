package console

import (
	"strings"
	"testing"
)

func TestParseLine(t *testing.T) {
	tests := []struct {
		line    string
		command string
		opts    map[string]string
		wantErr string
	}{
		{line: "/stretch now", command: "stretch now", opts: map[string]string{}},
		{line: "  /Stretch NOW position:bed ", command: "stretch now", opts: map[string]string{"position": "bed"}},
		{line: "/stretch remind set time:7:30pm days:mon,wed,fri", command: "stretch remind set", opts: map[string]string{"time": "7:30pm", "days": "mon,wed,fri"}},
		{line: `/stretch remind set time:"7:30 pm" timezone:America/New_York`, command: "stretch remind set", opts: map[string]string{"time": "7:30 pm", "timezone": "America/New_York"}},
		{line: "/checkin", command: "checkin", opts: map[string]string{}},
		{line: "stretch now", wantErr: "commands start with /"},
		{line: "/", wantErr: "which command"},
		{line: "/stretch now position:bed floor", wantErr: "put options after the command"},
		{line: "/stretch now :bed", wantErr: "needs an option name"},
		{line: "/stretch now a:1 a:2", wantErr: "given twice"},
		{line: `/stretch now position:"bed`, wantErr: "quote is not closed"},
		{line: "/stretch \xff", wantErr: "not valid text"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			in, err := ParseLine(tt.line)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if in.Command != tt.command {
				t.Errorf("command %q, want %q", in.Command, tt.command)
			}
			if len(in.Options) != len(tt.opts) {
				t.Errorf("options %v, want %v", in.Options, tt.opts)
			}
			for k, v := range tt.opts {
				if in.Options[k] != v {
					t.Errorf("option %s = %q, want %q", k, in.Options[k], v)
				}
			}
		})
	}
}

func FuzzParseLine(f *testing.F) {
	for _, s := range []string{"/stretch now", "/stretch remind set time:7:30 days:\"mon, fri\"", "/checkin profile:true", "/", "\"", "/a:b:c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		in, err := ParseLine(line)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if in.Command == "" {
			t.Fatalf("%q parsed without a command", line)
		}
	})
}
