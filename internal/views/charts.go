package views

import (
	"strconv"
)

// BarChart is a chart drawn server-side as SVG. Every bar carries its value
// as text and a title, so it reads without colour and without a mouse.
type BarChart struct {
	Title      string
	Caption    string // what the numbers are, e.g. "calls per day"
	Bars       []Bar
	Horizontal bool // long labels (numbers, destinations) read better sideways
}

// Bar is one bar: Value sizes it (display only; money stays a decimal string
// in Display).
type Bar struct {
	Label   string
	Value   float64
	Display string
}

// Geometry of the SVG, in its own units (it scales to its box).
const (
	chartW      = 640
	chartH      = 220
	chartPad    = 28
	hBarHeight  = 22
	hLabelWidth = 170
)

func (c BarChart) max() float64 {
	m := 0.0
	for _, b := range c.Bars {
		if b.Value > m {
			m = b.Value
		}
	}
	return m
}

// column is one vertical bar laid out.
type column struct {
	X, Y, W, H     string
	LabelX, LabelY string
	ValueY         string
	Label, Display string
	Title          string
	ShowLabel      bool
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

func (c BarChart) columns() []column {
	n := len(c.Bars)
	if n == 0 {
		return nil
	}
	m := c.max()
	inner := float64(chartH - 2*chartPad)
	slot := float64(chartW-2*chartPad) / float64(n)
	w := slot * 0.72
	every := 1 + n/16 // thin the axis labels when there are many bars
	out := make([]column, n)
	for i, b := range c.Bars {
		h := 0.0
		if m > 0 {
			h = inner * b.Value / m
		}
		x := float64(chartPad) + slot*float64(i) + (slot-w)/2
		y := float64(chartH-chartPad) - h
		out[i] = column{
			X: num(x), Y: num(y), W: num(w), H: num(h),
			LabelX: num(x + w/2), LabelY: num(float64(chartH - chartPad + 14)),
			ValueY: num(y - 4), Label: b.Label, Display: b.Display,
			Title: b.Label + ": " + b.Display, ShowLabel: i%every == 0,
		}
	}
	return out
}

// row is one horizontal bar laid out.
type row struct {
	Y, W, TextY, ValueX string
	Label, Display      string
	Title               string
}

func (c BarChart) height() string {
	if !c.Horizontal {
		return strconv.Itoa(chartH)
	}
	return strconv.Itoa(len(c.Bars)*(hBarHeight+6) + 8)
}

func (c BarChart) rows() []row {
	m := c.max()
	avail := float64(chartW - hLabelWidth - 90)
	out := make([]row, len(c.Bars))
	for i, b := range c.Bars {
		w := 0.0
		if m > 0 {
			w = avail * b.Value / m
		}
		y := float64(4 + i*(hBarHeight+6))
		out[i] = row{
			Y: num(y), W: num(w), TextY: num(y + hBarHeight*0.7), ValueX: num(float64(hLabelWidth) + w + 6),
			Label: b.Label, Display: b.Display, Title: b.Label + ": " + b.Display,
		}
	}
	return out
}

func (c BarChart) viewBox() string { return "0 0 " + strconv.Itoa(chartW) + " " + c.height() }
