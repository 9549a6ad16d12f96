not a netCDF file: stands for the real one that fails in HDF5 (error -101); models/LPX-Bern.toml skips it
