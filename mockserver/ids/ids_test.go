package ids

import "testing"

func TestUUIDIsAVersion4UUID(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		u := UUID()
		if !IsUUID(u) || u[14] != '4' || !(u[19] == '8' || u[19] == '9' || u[19] == 'a' || u[19] == 'b') {
			t.Fatalf("%q is not a version 4 UUID", u)
		}
		if seen[u] {
			t.Fatalf("%q twice", u)
		}
		seen[u] = true
	}
}

func TestNameUUIDIsStableAndAVersion5UUID(t *testing.T) {
	a, b := NameUUID("endpoint:x"), NameUUID("endpoint:y")
	if !IsUUID(a) || a[14] != '5' || a == b || NameUUID("endpoint:x") != a {
		t.Fatalf("NameUUID: %q, %q", a, b)
	}
}
