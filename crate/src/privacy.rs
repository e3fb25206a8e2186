//! The only path from exact coordinates to anything public: species sensitivity, fixed-grid generalisation, minimum-records cells, seasons.
