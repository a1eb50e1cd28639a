// Package quest loads a user-supplied quest directory and prepares quests
// for transfer to PSO clients.
//
// The directory uses the reference server's layout: one folder per category
// (retrieval/, extermination/, download/, ...) holding files named
// q###-VER-L.EXT, where ### is the quest number, VER a version token (dn,
// dp, d1, dc, pcn, pc, gcn, gc, gc3t, gc3, xb, bb) and L a language letter
// (j, e, g, f, s; b, t, k on BB). A quest for one version and language is a
// PRS-compressed script (.bin) plus map data (.dat), which may be shared by
// all languages as q###-VER.dat. Also read: uncompressed .bind/.datd,
// .qst bundles (the 44/13 or A6/A7 commands that would carry the files),
// files ending in .dlq (encrypted download-quest form), an optional .pvr
// image, and optional JSON metadata (q###-VER-L.json, q###-VER.json or
// q###.json; comments, trailing commas and hex numbers allowed).
//
// Load never fails because of one quest: a missing, corrupt or inconsistent
// file is logged with its name and the reason, recorded in Index.Problems,
// and skipped. The Index is immutable once loaded and safe to share between
// goroutines; the quests, variants and byte slices it hands out are shared
// too and must be treated as read-only.
//
// Transfer payloads are pure values: OnlineFiles gives the files of an
// online quest (44 + 13 chunks), DownloadFiles those of a download quest
// (A6 + A7, encrypted with the V2 cipher), and EncodeQST/DecodeQST convert
// to and from the .qst form.
package quest
