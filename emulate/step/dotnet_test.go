package step

import "testing"

func TestAllowUnsecureCommands(t *testing.T) {
	t.Parallel()
	// bool.TryParse: "true"/"false" in any case with white space around.
	tests := []struct {
		what, value string
		want        bool
	}{
		{"true", "true", true},
		{"any case", "TRUE", true},
		{"white space around", " True\t", true},
		{"1 is not a bool", "1", false},
		{"yes is not a bool", "yes", false},
		{"empty", "", false},
		{"false", "false", false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := AllowUnsecureCommands(tc.value); got != tc.want {
				t.Errorf("AllowUnsecureCommands(%q) = %v, want %v", tc.value, got, tc.want)
			}
		})
	}
}

func TestAllowUnsecureStopTokens(t *testing.T) {
	t.Parallel()
	// StringUtil.ConvertToBoolean; the runner's own test passes "1" and "true"
	// (ActionCommandManagerL0.StopProcessCommand__AllowsInvalidStopTokens__IfEnvVarIsSet).
	tests := []struct {
		what, value string
		want        bool
	}{
		{"1", "1", true},
		{"true", "true", true},
		{"$true", "$TRUE", true},
		{"padded is not accepted", " true", false},
		{"0", "0", false},
		{"yes", "yes", false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := AllowUnsecureStopTokens(tc.value); got != tc.want {
				t.Errorf("AllowUnsecureStopTokens(%q) = %v, want %v", tc.value, got, tc.want)
			}
		})
	}
}

func TestTryParseInt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, in string
		want     int
		ok       bool
	}{
		{"digits", "42", 42, true},
		{"white space and plus", " +7 ", 7, true},
		{"negative", "-3", -3, true},
		{"leading zeros", "007", 7, true},
		{"max int32", "2147483647", 2147483647, true},
		{"min int32", "-2147483648", -2147483648, true},
		{"overflow", "2147483648", 0, false},
		{"decimal point", "1.0", 0, false},
		{"empty", "", 0, false},
		{"sign only", "-", 0, false},
		{"inner space", "1 2", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, ok := tryParseInt(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("tryParseInt(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}
