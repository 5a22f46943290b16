package archive_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"

	"github.com/bludispatcher/dispatcher/internal/archive"
)

func ExampleWalk() {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("a.xml")
	io.WriteString(w, "<FlussoMisure/>")
	w, _ = zw.Create("readme.txt")
	io.WriteString(w, "not a flow")
	zw.Close()

	data := buf.Bytes()
	archive.Walk("batch.zip", bytes.NewReader(data), int64(len(data)), archive.Options{}, func(e archive.Entry) error {
		if e.Err != nil {
			fmt.Println("skipped:", e.Err)
			return nil
		}
		body, err := io.ReadAll(e.Reader)
		fmt.Println(e.Path, e.Depth, string(body), err)
		return nil
	})
	// Output:
	// batch.zip!a.xml 1 <FlussoMisure/> <nil>
	// skipped: batch.zip!readme.txt: not an XML file or zip archive
}
