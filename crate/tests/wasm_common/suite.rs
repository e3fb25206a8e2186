/// The tests every wasm-bindgen-test environment runs (each file sets its environment).
#[macro_export]
macro_rules! wasm_suite {
    () => {
        #[wasm_bindgen_test]
        fn demo_summary_through_the_wasm_api() {
            wasm_common::analyse_demo_and_check();
        }

        #[wasm_bindgen_test]
        fn map_charts_and_exports_render() {
            let a = wasm_common::analyse_demo_and_check();
            wasm_common::render_and_check(&a);
        }

        #[wasm_bindgen_test]
        fn bad_input_is_reported_not_panicked() {
            wasm_common::bad_input_is_reported();
        }

        #[wasm_bindgen_test]
        fn progress_is_stage_codes_and_maps_draw_in_their_language() {
            wasm_common::progress_codes_and_map_language();
        }
    };
}
