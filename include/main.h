/* trendy2ilamb: convert one TRENDY NetCDF file into one ILAMB-ready CF file.
 *
 *   trendy2ilamb [options] INPUT OUTPUT
 *
 * Exit status (the T2I_* codes of t2i.h):
 *   0  success: OUTPUT exists, complete
 *   1  bad or unsupported input (one line on stderr names INPUT and the reason)
 *   2  usage error
 *   3  I/O or system error (disk full, unwritable directory, out of memory)
 * On any failure OUTPUT is left untouched and no temporary file remains.
 *
 * Options (models/<MODEL>.toml keys in brackets; generate.py turns them into
 * these flags):
 *   --var NAME          input variable [var]; default: <var> of *_<SIM>_<var>.nc
 *   --out-var NAME      output variable; default: the variables table's name
 *   --model NAME        recorded in metadata; default: directory two levels up
 *   --sim NAME          recorded in metadata; default: from the file name
 *   --table FILE        variables table; default: ../tables/variables.tsv
 *                       next to the binary's directory
 *   --deflate N         0 = uncompressed; 1..9 = shuffle + deflate (zlib
 *                       stream) by ISA-L level 1 (N 1-3), 2 (4-6) or 3
 *                       (7-9); default 1
 *   --threads N         shuffle and deflate time steps on N threads (1..64,
 *                       default 1); every netCDF and HDF5 call stays on the
 *                       main thread, and the file is the same for any N;
 *                       each thread holds two time steps in flight (about
 *                       22 bytes per output cell: 5.6 MB at 720x360)
 *   --memory BYTES      slab budget, default 33554432
 *   --stats FILE        write one JSON object of run statistics
 *   --source PATH       the archive file INPUT was decompressed from (rule
 *                       convert_packed): named instead of INPUT in
 *                       source_file, history (the command line as if PATH
 *                       had been converted, --source left out), the stats'
 *                       input, error lines and the name defaults, so the
 *                       output never depends on the scratch copy's place
 *   --time-var NAME     variable holding the time values [time_var]
 *   --time-units TEXT   replaces the time units attribute [time_units]
 *   --calendar NAME     replaces the calendar attribute [calendar]
 *   --time-stamp start|end   boundary stamps open/close a period [time_stamp]
 *   --frequency mon|yr  when the stamps alone cannot tell [frequency]
 *   --units TEXT        replaces the variable's units attribute [units]
 *   --scale X           extra factor after conversion, e.g. -1 [scale]
 *   --latent-heat J     J kg-1 turning a latent-heat flux in W m-2 into an
 *                       evapotranspiration in kg m-2 s-1 [latent_heat];
 *                       without it W m-2 is refused, never guessed
 *   --missing X         one more missing sentinel, repeatable [missing]
 *   --reduce DIM=OP     reduce an extra dimension: sum, mean or an index
 *                       [reduce = ["PFT=sum"]], repeatable
 *   --area-basis land|cell   values per m2 of land (cell_methods 'area: mean
 *                       where land'; the model has a land_rule) or of grid
 *                       cell ('area: mean'), default cell [land_rule]
 *   --layer-bounds X    one soil layer interface (m), repeatable, surface
 *                       first [layer_bounds = [0, 0.1, 0.3]]
 */
#ifndef T2I_MAIN_H
#define T2I_MAIN_H

#define T2I_VERSION "0.1.0"

#endif
