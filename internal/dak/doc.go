// Package dak is dakflow's domain leaf: the DAK Fisik bidang IKM proposal
// and its records, money in whole rupiah with its Indonesian words,
// exact percentages, dates in WIB, roles, and the error kinds every
// interface translates in one place. It imports the standard library only,
// so every other package can depend on it and it on nothing of theirs.
package dak
