package main

import (
	"bytes"
	"context"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestVersionFlag(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"--version"}, &out, &out))
	for _, want := range []string{"mockserver ", "emulated APIs: Flows 2025.06.24, Transfer 0.10, Auth 2", runtime.GOOS + "/" + runtime.GOARCH} {
		require.Contains(t, out.String(), want)
	}
}
