package document

import (
	"bytes"
	"fmt"
	"reflect"
	"sync"
	"text/template"
	"text/template/parse"
)

// Most of a document's templates are text around {{.A.B}} or {{fn .A.B}}:
// a table cell, a key–value line. text/template evaluates every step of
// such a chain by name (reflect's MethodByName, then FieldByName) each
// time, and allocated a state per execution: a tenth of a busy server's
// CPU went there. fastTpl runs those shapes with the step of each type
// and name looked up once (fastSteps), and does exactly what text/template
// does for them; on anything else on the way — a nil, a map, a method that
// fails or takes arguments, an argument to convert — it says so, and the
// template runs in text/template, which gives its own answer or error.
// Templates are pure, so running one twice changes nothing.

// fastTpl is a template of that shape, compiled.
type fastTpl struct {
	parts []fastPart
}

// fastPart is text, or an action: the value of a field chain (none: dot),
// passed through fn when fn is valid.
type fastPart struct {
	text   string
	action bool
	chain  []string
	fn     reflect.Value
	in     reflect.Type // fn's parameter
}

// The interfaces text/template treats apart when it prints or calls.
var (
	errorType    = reflect.TypeFor[error]()
	stringerType = reflect.TypeFor[fmt.Stringer]()
)

// compileFast is t as a fastTpl, or nil when t has another shape.
func compileFast(t *template.Template) *fastTpl {
	if t.Tree == nil || t.Root == nil {
		return nil
	}
	f := &fastTpl{}
	for _, n := range t.Root.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
			f.parts = append(f.parts, fastPart{text: string(n.Text)})
		case *parse.ActionNode:
			p, ok := fastAction(n.Pipe)
			if !ok {
				return nil
			}
			f.parts = append(f.parts, p)
		default:
			return nil
		}
	}
	return f
}

// fastAction compiles {{.A.B}}, {{.}} and {{fn .A.B}} with fn one of funcs
// taking one argument.
func fastAction(pipe *parse.PipeNode) (fastPart, bool) {
	if pipe == nil || len(pipe.Decl) > 0 || pipe.IsAssign || len(pipe.Cmds) != 1 {
		return fastPart{}, false
	}
	args := pipe.Cmds[0].Args
	p := fastPart{action: true}
	if len(args) == 2 {
		id, ok := args[0].(*parse.IdentifierNode)
		if !ok {
			return fastPart{}, false
		}
		fn, ok := funcs[id.Ident]
		if !ok {
			return fastPart{}, false
		}
		p.fn = reflect.ValueOf(fn)
		ft := p.fn.Type()
		if ft.NumIn() != 1 || ft.IsVariadic() || ft.NumOut() < 1 || ft.NumOut() > 2 ||
			(ft.NumOut() == 2 && ft.Out(1) != errorType) {
			return fastPart{}, false
		}
		p.in = ft.In(0)
		args = args[1:]
	}
	if len(args) != 1 {
		return fastPart{}, false
	}
	switch a := args[0].(type) {
	case *parse.DotNode:
	case *parse.FieldNode:
		p.chain = a.Ident
	default:
		return fastPart{}, false
	}
	return p, true
}

// exec writes the template's output for data to b; false (b then holds
// a part of it) when text/template must run it instead.
func (f *fastTpl) exec(b *bytes.Buffer, data any) bool {
	for i := range f.parts {
		p := &f.parts[i]
		if !p.action {
			b.WriteString(p.text)
			continue
		}
		v := reflect.ValueOf(data)
		for _, name := range p.chain {
			var ok bool
			if v, ok = fastStep(v, name); !ok {
				return false
			}
		}
		if p.fn.IsValid() {
			if !v.IsValid() || v.Kind() == reflect.Interface || !v.Type().AssignableTo(p.in) {
				return false
			}
			out := p.fn.Call([]reflect.Value{v})
			if len(out) == 2 && !out[1].IsNil() {
				return false
			}
			v = out[0]
		}
		if v.Kind() == reflect.Interface && v.Type().NumMethod() == 0 {
			v = reflect.ValueOf(v.Interface()) // as text/template's pipelines do: a nil any has no value
		}
		iface, ok := printableValue(v)
		if !ok {
			return false
		}
		switch s := iface.(type) {
		case string:
			b.WriteString(s)
		default:
			fmt.Fprint(b, iface)
		}
	}
	return true
}

// fastStep is text/template's evaluation of .name on receiver, where it
// does not fail: a method without arguments (of the pointer when the
// receiver is addressable), else an exported struct field.
func fastStep(receiver reflect.Value, name string) (reflect.Value, bool) {
	if !receiver.IsValid() {
		return reflect.Value{}, false
	}
	receiver, isNil := indirect(receiver)
	if isNil {
		return reflect.Value{}, false
	}
	ptr := receiver
	if ptr.Kind() != reflect.Interface && ptr.Kind() != reflect.Pointer && ptr.CanAddr() {
		ptr = ptr.Addr()
	}
	st := stepOf(ptr.Type(), receiver.Type(), name)
	switch {
	case st.method >= 0:
		out := ptr.Method(st.method).Call(nil)
		if len(out) == 2 && !out[1].IsNil() {
			return reflect.Value{}, false
		}
		return out[0], true
	case st.field != nil:
		v, err := receiver.FieldByIndexErr(st.field)
		return v, err == nil
	}
	return reflect.Value{}, false
}

// step is how .name is reached from a type: its method number (-1: none
// to call without arguments, or none at all), else its field's index
// (nil: no exported field; text/template is left to say so).
type step struct {
	method int
	field  []int
}

type stepKey struct {
	ptr, receiver reflect.Type
	name          string
}

// fastSteps caches stepOf; its keys are the types of a document's data,
// a fixed few.
var fastSteps sync.Map // stepKey → step

func stepOf(ptr, receiver reflect.Type, name string) step {
	key := stepKey{ptr, receiver, name}
	if s, ok := fastSteps.Load(key); ok {
		return s.(step)
	}
	s := step{method: -1}
	if m, ok := ptr.MethodByName(name); ok {
		// A method: callable here only without arguments, returning a
		// value or a value and an error; any other is text/template's
		// to call or refuse (the step stays unknown).
		mt := m.Type // its receiver first: ptr is never an interface (fastStep)
		if mt.NumIn() == 1 && !mt.IsVariadic() && (mt.NumOut() == 1 || mt.NumOut() == 2 && mt.Out(1) == errorType) {
			s.method = m.Index
		}
	} else if receiver.Kind() == reflect.Struct {
		if f, ok := receiver.FieldByName(name); ok && f.IsExported() {
			s.field = f.Index
		}
	}
	fastSteps.Store(key, s)
	return s
}

// indirect is text/template's: through pointers and interfaces to a value,
// and whether a nil stopped it.
func indirect(v reflect.Value) (rv reflect.Value, isNil bool) {
	for ; v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface; v = v.Elem() {
		if v.IsNil() {
			return v, true
		}
	}
	return v, false
}

// printableValue is text/template's: what fmt prints for v, and false for
// a value it refuses to print.
func printableValue(v reflect.Value) (any, bool) {
	if v.Kind() == reflect.Pointer {
		v, _ = indirect(v)
	}
	if !v.IsValid() {
		return "<no value>", true
	}
	if !v.Type().Implements(errorType) && !v.Type().Implements(stringerType) {
		if v.CanAddr() && (reflect.PointerTo(v.Type()).Implements(errorType) || reflect.PointerTo(v.Type()).Implements(stringerType)) {
			v = v.Addr()
		} else {
			switch v.Kind() {
			case reflect.Chan, reflect.Func:
				return nil, false
			}
		}
	}
	return v.Interface(), true
}
