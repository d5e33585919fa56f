package workflow

import (
	"strings"
	"unicode"
	"unicode/utf16"

	"go.yaml.in/yaml/v4"
)

// maxExpressionLength is GitHub's limit on one expression, in UTF-16 code
// units (actions/runner: src/Sdk/Expressions/ExpressionConstants.cs
// MaxLength; emulate/expr applies it when it evaluates). Checking it
// before actionlint parses the file bounds actionlint's work too: its
// expression parser takes seconds and hundreds of MB on one expression of
// a few hundred KB (200,000 nested parentheses: 5 s, 280 MB).
const maxExpressionLength = 21000

// exprLengthFinding returns an error finding at the first value of the
// workflow document root holding a ${{ }} expression longer than GitHub
// allows, or at an if: condition (an expression without ${{ }}) longer
// than that; nil otherwise.
func exprLengthFinding(path string, root *yaml.Node) *Finding {
	at := longExpression(root, false)
	if at == nil {
		return nil
	}
	return &Finding{Path: path, Line: at.Line, Column: at.Column, Kind: "expression", Severity: SeverityError,
		Message: "Exceeded max expression length 21000"}
}

// longExpression returns the first scalar under n with an expression
// longer than maxExpressionLength; isIf says n is the value of an if: key.
// Aliases are not followed: the node they stand for is checked where it
// is defined.
func longExpression(n *yaml.Node, isIf bool) *yaml.Node {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if len(n.Value) <= maxExpressionLength {
			return nil // UTF-16 is never longer than UTF-8
		}
		if isIf && !strings.Contains(n.Value, "${{") && utf16Length(strings.TrimSpace(n.Value)) > maxExpressionLength {
			return n
		}
		if longestExpression(n.Value) > maxExpressionLength {
			return n
		}
		return nil
	case yaml.MappingNode:
		for k := 0; k+1 < len(n.Content); k += 2 {
			if at := longExpression(n.Content[k], false); at != nil {
				return at
			}
			if at := longExpression(n.Content[k+1], n.Content[k].Value == "if"); at != nil {
				return at
			}
		}
		return nil
	}
	for _, c := range n.Content {
		if at := longExpression(c, false); at != nil {
			return at
		}
	}
	return nil
}

// longestExpression is the length in UTF-16 code units of the longest
// ${{ }} expression in s, whitespace inside the braces trimmed. An
// expression ends at the first }} outside a single-quoted string, as
// GitHub's template reader cuts it (emulate/expr splitTemplate); an
// unclosed one is not counted.
func longestExpression(s string) int {
	longest := 0
	for {
		i := strings.Index(s, "${{")
		if i < 0 {
			return longest
		}
		s = s[i+len("${{"):]
		end, inString := -1, false
		for j := 0; j < len(s); j++ {
			if s[j] == '\'' {
				inString = !inString
			} else if !inString && j > 0 && s[j] == '}' && s[j-1] == '}' {
				end = j - 1
				break
			}
		}
		if end < 0 {
			// Unclosed: GitHub refuses it as such; leave that message to
			// the checks that follow.
			return longest
		}
		if n := utf16Length(strings.TrimFunc(s[:end], unicode.IsSpace)); n > longest {
			longest = n
		}
		s = s[end+2:]
	}
}

func utf16Length(s string) int {
	n := 0
	for _, r := range s {
		if l := utf16.RuneLen(r); l > 0 {
			n += l
		} else {
			n++
		}
	}
	return n
}
