package accise

// ElectricityFileArea returns the area that names the file of an
// electricity declaration: the ambito code of frame Q, or in tax year 2021
// the province of its first frame X. A declaration with neither frame
// carries only the seat's frames (frame I, the supplier list), so it takes
// the seat's province.
func (o DeclareOptions) ElectricityFileArea(d *ElectricityDeclaration) string {
	switch {
	case len(d.Q) > 0:
		return d.Q[0].Ambito
	case len(d.X) > 0:
		return d.X[0].Province
	}
	return o.SeatProvince
}

// GasFileArea returns the area that names the file of a gas declaration:
// the ambito code of frame L, or else that of the first province in its
// other frames. A declaration of exempt supplies or of ARISGAN only has no
// frame L. One with no province carries only the seat's frames (gas sold,
// the supplier list), so it takes the seat's ambito.
func (o DeclareOptions) GasFileArea(d *GasDeclaration) string {
	if len(d.L) > 0 {
		return d.L[0].Ambito
	}
	var provinces []string
	for _, frames := range [][]GasBilledFrame{d.E, d.F, d.G} {
		for _, f := range frames {
			provinces = append(provinces, f.Province)
		}
	}
	for _, f := range d.H {
		provinces = append(provinces, f.Province)
	}
	for _, f := range d.I {
		provinces = append(provinces, f.Province)
	}
	for _, frames := range [][]SummaryFrame{d.N, d.P, d.X} {
		for _, f := range frames {
			provinces = append(provinces, f.Province)
		}
	}
	provinces = append(provinces, o.SeatProvince)
	for _, p := range provinces {
		if ambito, ok := o.territory().AmbitoOf(p); ok {
			return o.AmbitoCode(ambito)
		}
	}
	return o.SeatProvince
}
