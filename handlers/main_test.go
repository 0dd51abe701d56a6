package handlers

import (
	"testing"

	"github.com/hearth-server/hearth/internal/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }
