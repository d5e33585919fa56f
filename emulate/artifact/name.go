package artifact

import (
	"strings"
)

// invalidChar is one character the artifact service rejects, with the
// description @actions/artifact prints for it.
type invalidChar struct {
	char, desc string
}

// invalidFilePathChars and invalidNameChars are the maps of actions/toolkit
// packages/artifact/src/internal/upload/path-and-artifact-name-validation.ts,
// in their insertion order (the order JavaScript iterates and prints them).
var invalidFilePathChars = []invalidChar{
	{`"`, ` Double quote "`},
	{`:`, ` Colon :`},
	{`<`, ` Less than <`},
	{`>`, ` Greater than >`},
	{`|`, ` Vertical bar |`},
	{`*`, ` Asterisk *`},
	{`?`, ` Question mark ?`},
	{"\r", ` Carriage return \r`},
	{"\n", ` Line feed \n`},
}

var invalidNameChars = append(append([]invalidChar(nil), invalidFilePathChars...),
	invalidChar{`\`, ` Backslash \`},
	invalidChar{`/`, ` Forward slash /`},
)

func describe(chars []invalidChar) string {
	descs := make([]string, len(chars))
	for i, c := range chars {
		descs[i] = c.desc
	}
	return strings.Join(descs, ",") // Array.prototype.toString
}

// validateName is validateArtifactName; the message is GitHub's.
func validateName(name string) error {
	if name == "" {
		return actionErrorf("Provided artifact name input during validation is empty")
	}
	for _, c := range invalidNameChars {
		if strings.Contains(name, c.char) {
			return actionErrorf("The artifact name is not valid: %s. Contains the following character: %s\n          \nInvalid characters include: %s\n          \nThese characters are not allowed in the artifact name due to limitations with certain file systems such as NTFS. To maintain file system agnostic behavior, these characters are intentionally not allowed to prevent potential problems with downloads on different file systems.",
				name, c.desc, describe(invalidNameChars))
		}
	}
	return nil
}

// validateFilePath is validateFilePath for a path inside the artifact.
func validateFilePath(p string) error {
	if p == "" {
		return actionErrorf("Provided file path input during validation is empty")
	}
	for _, c := range invalidFilePathChars {
		if strings.Contains(p, c.char) {
			return actionErrorf("The path for one of the files in artifact is not valid: %s. Contains the following character: %s\n          \nInvalid characters include: %s\n          \nThe following characters are not allowed in files that are uploaded due to limitations with certain file systems such as NTFS. To maintain file system agnostic behavior, these characters are intentionally not allowed to prevent potential problems with downloads on different file systems.\n          ",
				p, c.desc, describe(invalidFilePathChars))
		}
	}
	return nil
}
