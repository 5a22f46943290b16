package workbook

import (
	"context"
	"io"
)

// WriteWithRowLimit is Write with a lower sheet row limit, so a test
// reaches the limit with a few records.
func WriteWithRowLimit(ctx context.Context, src Source, sel Selection, w io.Writer, limit int) (string, error) {
	return write(ctx, src, sel, w, limit)
}
