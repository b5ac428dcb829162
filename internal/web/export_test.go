package web_test

import (
	"crypto/sha256"
)

func hashOf(id string) []byte {
	s := sha256.Sum256([]byte(id))
	return s[:]
}
