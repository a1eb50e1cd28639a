package capture

import "regexp"

func regexpMatch(pattern string, b []byte) bool { return regexp.MustCompile(pattern).Match(b) }
