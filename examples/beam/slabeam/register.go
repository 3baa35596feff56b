package slabeam

import (
	"context"
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
)

// Beam runs the functions of a pipeline on workers that find them by
// name: each is registered, with the coders of the accumulators.
func init() {
	register.DoFn1x1[fileio.FileMetadata, Shard](&shardFn{})
	register.DoFn2x1[context.Context, []Document, error](&writeFn{})
	// The CombineFns take the bundle's context, which the generic
	// registration does not: they are called by reflection, a cost lost
	// beside a shard's reading or a run's drawing.
	beam.RegisterType(reflect.TypeFor[*evaluateFn]().Elem())
	beam.RegisterType(reflect.TypeFor[*simulateFn]().Elem())
	beam.RegisterType(reflect.TypeFor[Shard]())
	beam.RegisterType(reflect.TypeFor[SeedRange]())
	beam.RegisterType(reflect.TypeFor[Document]())
	beam.RegisterCoder(reflect.TypeFor[partial](), encodePartial, decodePartial)
	beam.RegisterCoder(reflect.TypeFor[runs](), encodeRuns, decodeRuns)
}

// shardFn tells the source of the files matched by a source's glob.
type shardFn struct{ Source string }

func (fn *shardFn) ProcessElement(md fileio.FileMetadata) Shard {
	return Shard{Source: fn.Source, Path: md.Path}
}
