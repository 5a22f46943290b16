// Package sii reads the data that the Italian Integrated Information System
// (SII, Sistema Informativo Integrato) sends to electricity sellers, and
// compares it with the seller's own registry.
//
// The registry extract (estrazione RCU, from the Registro Centrale
// Ufficiale) is a delimited text file with a header row of column names.
// The column set changes between versions, so RCUReader maps columns by
// name, keeps the unknown ones and tolerates missing ones. It accepts UTF-8
// or Latin-1 text, with or without a byte order mark.
//
// Compare finds the points that the SII assigns to the seller but billing
// does not know, and the other way round, plus field differences per
// distributor and month. PRAReader reads residual area withdrawal (PRA)
// files through a column profile. Bonuses and Relief extract the points
// entitled to the electricity social bonus and to earthquake relief.
package sii
