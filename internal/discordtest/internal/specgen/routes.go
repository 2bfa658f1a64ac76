package specgen

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
)

// RoutesFromSource returns the operations listed in a Go file's route
// table: every composite literal with string fields method and template
// (`{method: "GET", template: "/users/@me", ...}`), in source order. The
// generator reads the fake's rest.go this way, so the route table stays the
// one list of what the fake serves.
func RoutesFromSource(filename string, src []byte) ([]Op, error) {
	f, err := parser.ParseFile(token.NewFileSet(), filename, src, 0)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", filename, err)
	}
	var ops []Op
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		var op Op
		for _, e := range lit.Elts {
			kv, ok := e.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			key, ok := kv.Key.(*ast.Ident)
			val, isLit := kv.Value.(*ast.BasicLit)
			if !ok || !isLit || val.Kind != token.STRING {
				continue
			}
			s, err := strconv.Unquote(val.Value)
			if err != nil {
				continue
			}
			switch key.Name {
			case "method":
				op.Method = s
			case "template":
				op.Path = s
			}
		}
		if op.Method != "" && op.Path != "" {
			ops = append(ops, op)
		}
		return true
	})
	if len(ops) == 0 {
		return nil, fmt.Errorf("%s: no route literals ({method: ..., template: ...}) found", filename)
	}
	return ops, nil
}
