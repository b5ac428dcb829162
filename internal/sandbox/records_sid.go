package sandbox

// Record SIDs are version-4-shaped UUIDs derived from (partner key, index):
// the first 32 bits are a keyed Feistel permutation of the index, the other
// bits keyed hashes of those. indexOf inverts the permutation and checks the
// rest, so a SID of another partner (another key) or a made-up one is not
// found. Deterministic for a seed, unique per partner and kind, and free of
// any SID-to-index table.

func feistelRound(key uint64, round int, v uint16) uint16 {
	return uint16(mix64(key^uint64(round)<<40^uint64(v)) >> 17)
}

func permute32(key uint64, x uint32) uint32 {
	l, r := uint16(x>>16), uint16(x)
	for round := range 4 {
		l, r = r, l^feistelRound(key, round, r)
	}
	return uint32(l)<<16 | uint32(r)
}

func unpermute32(key uint64, x uint32) uint32 {
	l, r := uint16(x>>16), uint16(x)
	for round := 3; round >= 0; round-- {
		l, r = r^feistelRound(key, round, l), l
	}
	return uint32(l)<<16 | uint32(r)
}

// sidBits returns the 128 bits of the SID of record i.
func sidBits(key uint64, i int) (hi, lo uint64) {
	x := permute32(key, uint32(i))
	h := mix64(key ^ uint64(x)*0x9e3779b97f4a7c15)
	hi = uint64(x)<<32 | (h>>32)&0xffff0000 | 0x4000 | h&0x0fff
	lo = mix64(h)&0x3fffffffffffffff | 0x8000000000000000
	return hi, lo
}

const hexDigits = "0123456789abcdef"

// appendSID appends the SID of record i (36 characters).
func appendSID(b []byte, key uint64, i int) []byte {
	hi, lo := sidBits(key, i)
	var u [36]byte
	pos := 0
	put := func(v uint64, nibbles int) {
		for k := nibbles - 1; k >= 0; k-- {
			u[pos] = hexDigits[(v>>(4*uint(k)))&0xf]
			pos++
		}
	}
	put(hi>>32, 8)
	u[pos] = '-'
	pos++
	put(hi>>16&0xffff, 4)
	u[pos] = '-'
	pos++
	put(hi&0xffff, 4)
	u[pos] = '-'
	pos++
	put(lo>>48, 4)
	u[pos] = '-'
	pos++
	put(lo&0xffffffffffff, 12)
	return append(b, u[:]...)
}

func sidString(key uint64, i int) string { return string(appendSID(nil, key, i)) }

// indexOf returns the index of the record with this SID among n records, or
// -1.
func indexOf(key uint64, sid string, n int) int {
	if len(sid) != 36 || sid[8] != '-' || sid[13] != '-' || sid[18] != '-' || sid[23] != '-' {
		return -1
	}
	var hi, lo uint64
	k := 0
	for i := 0; i < 36; i++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			continue
		}
		c := sid[i]
		var v uint64
		switch {
		case c >= '0' && c <= '9':
			v = uint64(c - '0')
		case c >= 'a' && c <= 'f':
			v = uint64(c-'a') + 10
		case c >= 'A' && c <= 'F':
			v = uint64(c-'A') + 10
		default:
			return -1
		}
		if k < 16 {
			hi = hi<<4 | v
		} else {
			lo = lo<<4 | v
		}
		k++
	}
	idx := int(unpermute32(key, uint32(hi>>32)))
	if idx >= n {
		return -1
	}
	if h, l := sidBits(key, idx); h != hi || l != lo {
		return -1
	}
	return idx
}
