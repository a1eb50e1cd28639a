package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// island is the smallest valid island-mode file; cases add to it.
const island = "mode = \"island\"\n[network]\ninterface = \"eth0\"\n"

// home is the smallest valid home-mode file.
const home = "mode = \"home\"\n[network]\ninterface = \"eth0\"\naddress = \"192.168.1.20/24\"\n" +
	"[dhcp]\npool_start = \"192.168.1.200\"\npool_end = \"192.168.1.220\"\n"

func TestRefusedValues(t *testing.T) {
	for _, tc := range []struct {
		name, file, want string
	}{
		// Types and parsing (checked against the schema before decoding).
		{"string for bool", "[dns]\nenabled = \"yes\"", `config: dns.enabled = "yes": must be true or false`},
		{"number for string", "mode = 5", `config: mode = 5: must be a string in quotes`},
		{"float for int", "[game]\nmax_clients = 1.5", `config: game.max_clients = 1.5: must be a whole number`},
		{"string for int", "[game]\nmax_clients = \"10\"", `config: game.max_clients = "10": must be a whole number`},
		{"scalar for table", "dhcp = 5", `config: dhcp = 5: must be a table [dhcp]`},
		{"scalar for list", "[dns]\nallow = \"10.0.0.0/8\"", `config: dns.allow = "10.0.0.0/8": must be a list in brackets, such as [] or ["a", "b"]`},
		{"number in list", "[dns]\nextra_hostnames = [\"a.b\", 7]", `config: dns.extra_hostnames[1] = 7: must be a string in quotes`},
		{"bad duration", "[dhcp]\nlease_time = \"1 day\"", `config: dhcp.lease_time = "1 day": must be a duration in quotes, such as "500ms", "30s", "5m" or "24h"`},
		{"number for duration", "[dhcp]\nlease_time = 60", `config: dhcp.lease_time = 60: must be a duration in quotes, such as "500ms", "30s", "5m" or "24h"`},
		{"bad address", "[network]\nsentinel = \"1.2.3\"", `config: network.sentinel = "1.2.3": must be an IP address in quotes, such as "10.55.0.1"`},
		{"bad prefix", "[network]\naddress = \"10.55.0.1\"", `config: network.address = "10.55.0.1": must be an address with a prefix length in quotes, such as "10.55.0.0/24"`},
		{"bad upstream", "[dns]\nupstreams = [\"1.1.1.1:0\"]", `config: dns.upstreams[0] = "1.1.1.1:0": must be an IP address with an optional port, such as "192.168.1.1" or "192.168.1.1:5353"`},
		{"bad oui", "[dhcp]\nconsole_ouis = [\"00:d0\"]", `config: dhcp.console_ouis[0] = "00:d0": must be a vendor prefix (OUI) in quotes, such as "00:d0:f1"`},
		{"bad mac", "[dhcp]\nconsole_macs = [\"00:d0:f1:12:34:5g\"]", `config: dhcp.console_macs[0] = "00:d0:f1:12:34:5g": must be a MAC address in quotes, such as "00:d0:f1:12:34:56"`},
		{"bad mac in second reservation", island + "[[dhcp.reservations]]\nmac = \"00:d0:f1:00:00:01\"\nip = \"10.55.0.50\"\n[[dhcp.reservations]]\nmac = \"zz\"\nip = \"10.55.0.51\"\n",
			`config: dhcp.reservations[1].mac = "zz": must be a MAC address in quotes, such as "00:d0:f1:12:34:56"`},
		{"reservations as scalar", "[dhcp]\nreservations = 1", `config: dhcp.reservations = 1: must be a list of [[dhcp.reservations]] tables`},

		// Unknown keys name the keys their table has.
		{"unknown top key", "modus = \"island\"", `config: modus = "island": unknown key; the top level has mode, state_dir, [log], [network], [dns], [dhcp], [game], [status], [capture], [privileges]`},
		{"unknown key", "[status]\nport = 80", `config: status.port = 80: unknown key; [status] has enabled, listen`},
		{"unknown table", "[stats]\nlisten = \":80\"", `config: [stats]: unknown table; the top level has mode, state_dir, [log], [network], [dns], [dhcp], [game], [status], [capture], [privileges]`},
		{"unknown reservation key", island + "[[dhcp.reservations]]\nmac = \"00:d0:f1:00:00:01\"\nip = \"10.55.0.50\"\nhost = \"dc\"\n",
			`config: dhcp.reservations[0].host = "dc": unknown key; [dhcp.reservations] has mac, ip, name`},
		{"key in other case", "[network]\nAddress = \"10.9.0.1/24\"", `config: network.Address = "10.9.0.1/24": unknown key; [network] has interface, address, sentinel, advertise`},
		{"go field name", "StateDirPath = \"/x\"", `config: StateDirPath = "/x": unknown key; the top level has mode, state_dir, [log], [network], [dns], [dhcp], [game], [status], [capture], [privileges]`},
		{"quoted key", "[status]\n\"a\\nb\" = 1", `config: status."a\nb" = 1: unknown key; [status] has enabled, listen`},

		// One rule per key.
		{"mode", "mode = \"lan\"", `config: mode = "lan": must be "island", "home" or "server"`},
		{"state_dir", "state_dir = \"a\\u0000b\"", `config: state_dir = "a\x00b": must be a directory path`},
		{"log.level", "[log]\nlevel = \"verbose\"", `config: log.level = "verbose": must be "debug", "info", "warn" or "error"`},
		{"log.format", "[log]\nformat = \"xml\"", `config: log.format = "xml": must be "text" or "json"`},
		{"interface required in island", "mode = \"island\"", `config: network.interface = "": must name the consoles' LAN interface (such as "eth0") in island mode`},
		{"interface required in home", "mode = \"home\"", `config: network.interface = "": must name the consoles' LAN interface (such as "eth0") in home mode`},
		{"interface too long", "[network]\ninterface = \"a234567890123456\"", `config: network.interface = "a234567890123456": must be a Linux interface name: 1 to 15 characters, no spaces, '/' or ':'`},
		{"interface slash", "[network]\ninterface = \"eth/0\"", `config: network.interface = "eth/0": must be a Linux interface name: 1 to 15 characters, no spaces, '/' or ':'`},
		{"address ipv6", "[network]\naddress = \"fd00::1/64\"", `config: network.address = "fd00::1/64": must be an IPv4 address with its prefix length, such as "10.55.0.1/24"`},
		{"address /31", "[network]\naddress = \"10.55.0.1/31\"", `config: network.address = "10.55.0.1/31": prefix length must be between /8 and /30`},
		{"address is network", "[network]\naddress = \"10.55.0.0/24\"", `config: network.address = "10.55.0.0/24": must be a host address, not the subnet's network or broadcast address`},
		{"address is broadcast", "[network]\naddress = \"10.55.0.255/24\"", `config: network.address = "10.55.0.255/24": must be a host address, not the subnet's network or broadcast address`},
		{"sentinel loopback", "[network]\nsentinel = \"127.0.0.1\"", `config: network.sentinel = "127.0.0.1": must be a unicast IPv4 address, such as "198.18.55.1"`},
		{"sentinel empty", "[network]\nsentinel = \"\"", `config: network.sentinel = "": must be a unicast IPv4 address, such as "198.18.55.1"`},
		{"sentinel in subnet", island + "sentinel = \"10.55.0.9\"", `config: network.sentinel = "10.55.0.9": must lie outside the consoles' subnet 10.55.0.0/24 (GameCube PSO refuses servers on its own subnet)`},
		{"sentinel in home subnet", strings.Replace(home, "[dhcp]", "sentinel = \"192.168.1.77\"\n[dhcp]", 1), `config: network.sentinel = "192.168.1.77": must lie outside the consoles' subnet 192.168.1.0/24 (GameCube PSO refuses servers on its own subnet)`},
		{"advertise outside server mode", island + "advertise = \"10.55.0.1\"", `config: network.advertise = "10.55.0.1": is used only in server mode; island and home answer with network.sentinel (set advertise = "")`},
		{"advertise ipv6", "[network]\nadvertise = \"fd00::1\"", `config: network.advertise = "fd00::1": must be "" or a unicast IPv4 address`},
		{"dns.listen", "[dns]\nlisten = \"53\"", `config: dns.listen = "53": must be "ip:port" or ":port", such as ":8080" or "127.0.0.1:8080"`},
		{"dns.listen host name", "[dns]\nlisten = \"localhost:53\"", `config: dns.listen = "localhost:53": must be "ip:port" or ":port", such as ":8080" or "127.0.0.1:8080"`},
		{"dns.resolv_conf", "[dns]\nresolv_conf = \"\"", `config: dns.resolv_conf = "": must name a resolver file when dns.upstreams is empty`},
		{"dns.cache_entries", "[dns]\ncache_entries = -1", `config: dns.cache_entries = -1: must be between 0 and 1000000`},
		{"dns.rate_limit", "[dns]\nrate_limit = 1000001", `config: dns.rate_limit = 1000001: must be between 0 and 1000000`},
		{"dns.extra_hostnames", "[dns]\nextra_hostnames = [\"ok.example\", \"bad_name.example\"]", `config: dns.extra_hostnames[1] = "bad_name.example": must be a DNS name such as "pso.example.net"`},
		{"dns.timeout short", "[dns]\ntimeout = \"50ms\"", `config: dns.timeout = "50ms": must be between 100ms and 10s`},
		{"dns.timeout long", "[dns]\ntimeout = \"11s\"", `config: dns.timeout = "11s": must be between 100ms and 10s`},
		{"dhcp in server mode", "[dhcp]\nenabled = true", `config: dhcp.enabled = true: DHCP never runs in server mode; set mode = "island" or "home" to serve DHCP`},
		{"dhcp.lease_time short", "[dhcp]\nlease_time = \"5s\"", `config: dhcp.lease_time = "5s": must be between 1m and 720h`},
		{"dhcp.lease_time long", "[dhcp]\nlease_time = \"721h\"", `config: dhcp.lease_time = "721h": must be between 1m and 720h`},
		{"dhcp.rogue_check", "[dhcp]\nrogue_check = \"31s\"", `config: dhcp.rogue_check = "31s": must be between 0s and 30s`},
		{"dhcp.rogue_check negative", "[dhcp]\nrogue_check = \"-1s\"", `config: dhcp.rogue_check = "-1s": must be between 0s and 30s`},
		{"dhcp.domain", "[dhcp]\ndomain = \"-psobox\"", `config: dhcp.domain = "-psobox": must be "" or a DNS name such as "psobox" or "lan.example"`},
		{"dhcp.console_macs multicast", "[dhcp]\nconsole_macs = [\"01:00:5e:00:00:01\"]", `config: dhcp.console_macs[0] = "01:00:5e:00:00:01": must be a unicast MAC address`},
		{"pool half set", island + "[dhcp]\npool_start = \"10.55.0.10\"", `config: dhcp.pool_end = "": set both dhcp.pool_start and dhcp.pool_end, or neither (for .100 to .199)`},
		{"pool required in home", "mode = \"home\"\n[network]\ninterface = \"eth0\"\naddress = \"192.168.1.20/24\"", `config: dhcp.pool_start = "": home mode needs both dhcp.pool_start and dhcp.pool_end: a range of the home network's addresses the router does not hand out`},
		{"pool outside subnet", island + "[dhcp]\npool_start = \"10.55.1.10\"\npool_end = \"10.55.1.20\"", `config: dhcp.pool_start = "10.55.1.10": must be a host address inside network.address's subnet 10.55.0.0/24`},
		{"pool end is broadcast", island + "[dhcp]\npool_start = \"10.55.0.10\"\npool_end = \"10.55.0.255\"", `config: dhcp.pool_end = "10.55.0.255": must be a host address inside network.address's subnet 10.55.0.0/24`},
		{"pool reversed", island + "[dhcp]\npool_start = \"10.55.0.20\"\npool_end = \"10.55.0.10\"", `config: dhcp.pool_end = "10.55.0.10": must not come before dhcp.pool_start (10.55.0.20)`},
		{"pool holds own address", island + "[dhcp]\npool_start = \"10.55.0.1\"\npool_end = \"10.55.0.10\"", `config: dhcp.pool_start = "10.55.0.1": the pool 10.55.0.1 to 10.55.0.10 must not contain psobox's own address 10.55.0.1 (network.address)`},
		{"default pool needs /24", "mode = \"island\"\n[network]\ninterface = \"eth0\"\naddress = \"10.55.0.1/25\"", `config: network.address = "10.55.0.1/25": the default DHCP pool .100 to .199 needs a /24 or larger subnet; set dhcp.pool_start and dhcp.pool_end`},
		{"home pool outside home subnet", "mode = \"home\"\n[network]\ninterface = \"eth0\"\n[dhcp]\npool_start = \"192.168.1.200\"\npool_end = \"192.168.1.220\"", `config: dhcp.pool_start = "192.168.1.200": must be a host address inside network.address's subnet 10.55.0.0/24`},
		{"reservation duplicate mac", island + "[[dhcp.reservations]]\nmac = \"00:d0:f1:00:00:01\"\nip = \"10.55.0.50\"\n[[dhcp.reservations]]\nmac = \"00:D0:F1:00:00:01\"\nip = \"10.55.0.51\"\n",
			`config: dhcp.reservations[1].mac = "00:d0:f1:00:00:01": must be unique; dhcp.reservations[0] has it`},
		{"reservation duplicate ip", island + "[[dhcp.reservations]]\nmac = \"00:d0:f1:00:00:01\"\nip = \"10.55.0.50\"\n[[dhcp.reservations]]\nmac = \"00:d0:f1:00:00:02\"\nip = \"10.55.0.50\"\n",
			`config: dhcp.reservations[1].ip = "10.55.0.50": must be unique; dhcp.reservations[0] has it`},
		{"reservation without mac", island + "[[dhcp.reservations]]\nip = \"10.55.0.50\"\n", `config: dhcp.reservations[0].mac = "00:00:00:00:00:00": must be a console's unicast MAC address, such as "00:d0:f1:12:34:56"`},
		{"reservation outside subnet", island + "[[dhcp.reservations]]\nmac = \"00:d0:f1:00:00:01\"\nip = \"10.56.0.50\"\n", `config: dhcp.reservations[0].ip = "10.56.0.50": must be a host address inside 10.55.0.0/24 other than psobox's own 10.55.0.1`},
		{"reservation own address", island + "[[dhcp.reservations]]\nmac = \"00:d0:f1:00:00:01\"\nip = \"10.55.0.1\"\n", `config: dhcp.reservations[0].ip = "10.55.0.1": must be a host address inside 10.55.0.0/24 other than psobox's own 10.55.0.1`},
		{"reservation name", island + "[[dhcp.reservations]]\nmac = \"00:d0:f1:00:00:01\"\nip = \"10.55.0.50\"\nname = \"dc 1\"\n", `config: dhcp.reservations[0].name = "dc 1": must be "" or a host name of letters, digits and '-' such as "dreamcast-1"`},
		{"game.server_name long", "[game]\nserver_name = \"12345678901234567\"", `config: game.server_name = "12345678901234567": must be 1 to 16 printable ASCII characters`},
		{"game.server_name empty", "[game]\nserver_name = \"\"", `config: game.server_name = "": must be 1 to 16 printable ASCII characters`},
		{"game.accounts", "[game]\naccounts = \"closed\"", `config: game.accounts = "closed": must be "open" or "registered"`},
		{"game.welcome_message", "[game]\nwelcome_message = \"" + strings.Repeat("x", 1025) + "\"", `config: game.welcome_message = "` + strings.Repeat("x", 79) + `...: must be at most 1024 characters`},
		{"game.listen ipv6", "[game]\nlisten = \"::1\"", `config: game.listen = "::1": must be "" or an IPv4 address: PSO clients speak IPv4 only`},
		{"game.listen not the sentinel", island + "[game]\nlisten = \"10.55.0.1\"", `config: game.listen = "10.55.0.1": must be "" or network.sentinel (198.18.55.1) in island mode: consoles connect to the sentinel`},
		{"game.max_clients", "[game]\nmax_clients = 0", `config: game.max_clients = 0: must be between 1 and 20000`},
		{"game.max_per_ip", "[game]\nmax_per_ip = 1001", `config: game.max_per_ip = 1001: must be between 1 and 1000`},
		{"game.ping_interval", "[game]\nping_interval = \"500ms\"", `config: game.ping_interval = "500ms": must be between 1s and 10m`},
		{"game.idle_timeout not above ping", "[game]\nidle_timeout = \"30s\"", `config: game.idle_timeout = "30s": must be longer than game.ping_interval (30s) and at most 1h`},
		{"game.login_timeout", "[game]\nlogin_timeout = \"0s\"", `config: game.login_timeout = "0s": must be between 1s and 10m`},
		{"game.chat_command_prefix two", "[game]\nchat_command_prefix = \"$$\"", `config: game.chat_command_prefix = "$$": must be one printable ASCII character such as "$" or "/"`},
		{"game.chat_command_prefix space", "[game]\nchat_command_prefix = \" \"", `config: game.chat_command_prefix = " ": must be one printable ASCII character such as "$" or "/"`},
		{"status.listen", "[status]\nlisten = \":http\"", `config: status.listen = ":http": must be "ip:port" or ":port", such as ":8080" or "127.0.0.1:8080"`},
		{"capture.max_file_mib", "[capture]\nmax_file_mib = 0", `config: capture.max_file_mib = 0: must be between 1 and 1024`},
		{"privileges.drop", "[privileges]\ndrop = \"never\"", `config: privileges.drop = "never": must be "auto" or "always"`},
		{"privileges.uid root", "[privileges]\nuid = 0", `config: privileges.uid = 0: must be between 1 and 2147483647`},
		{"privileges.gid root", "[privileges]\ngid = 0", `config: privileges.gid = 0: must be between 1 and 2147483647`},
		{"capture.max_total_mib", "[capture]\nmax_file_mib = 16\nmax_total_mib = 8", `config: capture.max_total_mib = 8: must be between capture.max_file_mib (16) and 1048576`},

		// Impossible combinations.
		{"dhcp without dns", island + "[dns]\nenabled = false", `config: dns.enabled = false: DHCP hands out psobox as the consoles' DNS server; enable DNS or set dhcp.enabled = false`},
		{"status on the dns port", "[dns]\nlisten = \":8080\"", `config: status.listen = ":8080": must not use the same TCP port as dns.listen (:8080)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.file), "test.toml")
			if err == nil {
				t.Fatalf("Parse accepted:\n%s", tc.file)
			}
			if diff := cmp.Diff(tc.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Errorf("error is %T, want *config.Error", err)
			}
		})
	}
}

func TestAcceptedFiles(t *testing.T) {
	for _, tc := range []struct{ name, file string }{
		{"empty", ""},
		{"island", island},
		{"home", home},
		{"island without dhcp or dns", island + "[dhcp]\nenabled = false\n[dns]\nenabled = false"},
		{"server mode may disable dhcp explicitly", "[dhcp]\nenabled = false"},
		{"status and dns on different hosts", "[dns]\nlisten = \"127.0.0.1:8080\"\n[status]\nlisten = \"127.0.0.2:8080\""},
		{"port 0 twice", "[dns]\nlisten = \"127.0.0.1:0\"\n[status]\nlisten = \"127.0.0.1:0\""},
		{"catchall needs no resolver", "[dns]\ncatchall = true\nresolv_conf = \"\""},
		{"upstreams need no resolver file", "[dns]\nupstreams = [\"192.168.1.1\", \"[fd00::1]:5353\"]\nresolv_conf = \"\""},
		{"inline reservations", island + "[dhcp]\nreservations = [{mac = \"00:d0:f1:00:00:01\", ip = \"10.55.0.50\"}]"},
		{"small subnet with explicit pool", "mode = \"island\"\n[network]\ninterface = \"eth0\"\naddress = \"10.55.0.1/28\"\n[dhcp]\npool_start = \"10.55.0.2\"\npool_end = \"10.55.0.14\""},
		{"rogue check off", "[dhcp]\nrogue_check = \"0s\""},
		{"advertise in server mode", "[network]\nadvertise = \"192.168.1.5\""},
		{"game on the sentinel", island + "[game]\nlisten = \"198.18.55.1\""},
		{"game on one address in server mode", "[game]\nlisten = \"192.168.1.5\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Parse([]byte(tc.file), "test.toml"); err != nil {
				t.Errorf("Parse refused:\n%s\nerror: %v", tc.file, err)
			}
		})
	}
}
