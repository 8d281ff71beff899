"""What the routes ask for, over millnet's public API: no HTTP here, plain values in and out."""
