package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/rehearse-dev/rehearse/emulate/image"
)

func (c *Command) imageCommand() *subcommand {
	return &subcommand{
		name:    "image",
		summary: "import a root filesystem as an OCI image layout for the container executor",
		usage: "rehearse image import DIR [--name NAME] [--out DIR] [--compression zstd|none]\n\n" +
			"Prints the reference to pass to -P LABEL=REF (first line) and the layout's size and\n" +
			"the time taken (second line) on stdout. The default output is images/NAME under\n" +
			"the state directory (~/.local/state/rehearse or $REHEARSE_STATE_DIR).",
		setup: func(fs *pflag.FlagSet) func(context.Context, *Command, *globals, []string) int {
			name := fs.String("name", "", "image name (default: the directory's base name)")
			out := fs.String("out", "", "layout directory (default: images/NAME under the state directory)")
			comp := fs.String("compression", string(image.CompressionZstd), "layer compression: zstd or none")
			return func(ctx context.Context, c *Command, _ *globals, args []string) int {
				if len(args) == 0 || args[0] != "import" {
					return c.fail(&usageError{"image takes a subcommand: rehearse image import DIR [--name NAME] [--out DIR]"})
				}
				if len(args) != 2 {
					return c.fail(&usageError{fmt.Sprintf("image import takes one root filesystem directory, got %d arguments %q", len(args)-1, args[1:])})
				}
				res, err := image.Import(ctx, args[1], image.ImportOptions{
					Name: *name, Out: *out, Compression: image.Compression(*comp),
					Warn: func(msg string) { fmt.Fprintf(c.Stderr, "warning: %s\n", msg) },
				})
				if err != nil {
					var in *image.InputError
					if errors.As(err, &in) {
						return c.fail(&usageError{in.Error()})
					}
					if ctx.Err() != nil {
						fmt.Fprintf(c.Stderr, "rehearse: image import interrupted: %v\n", err)
						return ExitInterrupted
					}
					fmt.Fprintf(c.Stderr, "rehearse: could not import %q: %v\n", args[1], err)
					return ExitFailure
				}
				fmt.Fprintln(c.Stdout, res.Ref.String())
				fmt.Fprintf(c.Stdout, "%s: %d paths, layer %s (%s uncompressed), %.1fs\n",
					res.Name, res.Entries, megabytes(res.LayerSize), megabytes(res.TarSize), res.Duration.Seconds())
				fmt.Fprintf(c.Stderr, "give it to the container executor with -P LABEL=REF, e.g. -P ubuntu-latest=%s\n", res.Ref.String())
				return ExitSuccess
			}
		},
	}
}

func megabytes(n int64) string {
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}
