package tables

import (
	"fmt"
	"io"

	"github.com/segqa/segqa/harness/results"
)

// ClaimsMarkdown writes the claims as a list, each marked holds or does
// not hold, with its evidence.
func ClaimsMarkdown(w io.Writer, claims []results.Claim) error {
	for _, c := range claims {
		if _, err := fmt.Fprintf(w, "- **%s**: %s. %s.\n", c.Verdict(), c.Claim, c.Evidence); err != nil {
			return err
		}
	}
	return nil
}

// ClaimsTerminal writes the claims as plain lines.
func ClaimsTerminal(w io.Writer, claims []results.Claim) error {
	fmt.Fprintln(w, "The paper's claims on this run:")
	for _, c := range claims {
		if _, err := fmt.Fprintf(w, "  [%s] %s\n        %s\n", c.Verdict(), c.Claim, c.Evidence); err != nil {
			return err
		}
	}
	return nil
}
