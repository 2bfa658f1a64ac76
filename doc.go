// Package stretchbot is the domain of a Discord bot that helps people with
// lower-back pain and spasms stretch every day: the stretch catalogue, the
// rotation, reminder schedules, completions and the symptom check-in rules.
//
// It has no I/O. Storage lives in store/, timing in scheduler/, Discord in
// bot/, and cmd/stretchbot wires them together.
package stretchbot
