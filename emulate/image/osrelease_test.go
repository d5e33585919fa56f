package image

import "testing"

func TestParseOSRelease(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, input            string
		id, versionID, imageOS string
	}{
		{"ubuntu 24.04", "PRETTY_NAME=\"Ubuntu 24.04.1 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"24.04\"\nID=ubuntu\nID_LIKE=debian\n", "ubuntu", "24.04", "ubuntu24"},
		{"ubuntu 22.04", "ID=ubuntu\nVERSION_ID=\"22.04\"\n", "ubuntu", "22.04", "ubuntu22"},
		{"debian 12 with comments and blank lines", "# os-release\n\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID=\"12\"\nID=debian\n", "debian", "12", "debian12"},
		{"alpine, unquoted with point release", "ID=alpine\nVERSION_ID=3.20.1\n", "alpine", "3.20.1", "alpine3"},
		{"single quotes and spaces", "  ID='fedora'  \nVERSION_ID='40'\n", "fedora", "40", "fedora40"},
		{"rolling release without VERSION_ID", "ID=arch\n", "arch", "", "arch"},
		{"CRLF and a line without =", "ID=ubuntu\r\ngarbage\r\nVERSION_ID=\"24.04\"\r\n", "ubuntu", "24.04", "ubuntu24"},
		{"empty file", "", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			o := ParseOSRelease([]byte(tc.input))
			if o.ID != tc.id || o.VersionID != tc.versionID || o.ImageOS() != tc.imageOS {
				t.Errorf("ID %q VERSION_ID %q ImageOS %q; want %q %q %q", o.ID, o.VersionID, o.ImageOS(), tc.id, tc.versionID, tc.imageOS)
			}
		})
	}
	o := ParseOSRelease([]byte(`PRETTY_NAME="A \"quoted\" \$name \\ here"` + "\n"))
	if got := o.Fields["PRETTY_NAME"]; got != `A "quoted" $name \ here` {
		t.Errorf("escapes: %q", got)
	}
}
