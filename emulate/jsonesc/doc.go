// Package jsonesc escapes strings for JSON the way Newtonsoft.Json's
// JsonConvert.ToString(string) does with its default settings, which is
// what the runner uses both to render toJSON() (package expr) and to derive
// the JSON-escaped variation of every secret it masks (package mask). The
// two must agree byte for byte, so they share this one implementation.
//
// Unlike encoding/json it leaves <, > and & alone, writes control
// characters as \u00xx with lower-case hex (except \b \f \n \r \t), and
// always escapes U+0085, U+2028 and U+2029.
package jsonesc
